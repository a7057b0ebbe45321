using NodaTime;

namespace Webinars.Payments;

/// <summary>What Payments asks of Stripe. <see cref="StripeGateway"/> talks to Stripe through Stripe.net; tests point it at a fake.</summary>
public interface IStripeGateway
{
    /// <summary>Opens a Checkout Session; a retry with the same <see cref="CheckoutRequest.IdempotencyKey"/> gets the same session.</summary>
    /// <exception cref="StripeUnavailableException">Stripe did not answer after the retries, or refused.</exception>
    Task<CheckoutSession> CreateCheckoutAsync(CheckoutRequest request, CancellationToken ct);

    Task<CheckoutSession> GetSessionAsync(string sessionId, CancellationToken ct);

    /// <summary>Sessions created since <paramref name="since"/> (for reconciliation).</summary>
    Task<IReadOnlyList<CheckoutSession>> RecentSessionsAsync(Instant since, CancellationToken ct);

    Task ExpireSessionAsync(string sessionId, CancellationToken ct);

    /// <summary>Refunds <paramref name="amount"/> (null: all that is left) of a payment; the key makes a retry refund once.</summary>
    Task<string> RefundAsync(string paymentIntentId, long? amount, string idempotencyKey, CancellationToken ct);
}

public sealed record CheckoutRequest(
    Guid RegistrationId, int Attempt, string IdempotencyKey, string Email, string Description, long Amount, string Currency,
    Instant ExpiresAt, string SuccessUrl, string CancelUrl);

/// <summary>The parts of a Checkout Session we read. <c>Status</c>: open | complete | expired; <c>PaymentStatus</c>: paid | unpaid | no_payment_required.</summary>
public sealed record CheckoutSession(
    string Id, string? Url, string Status, string PaymentStatus, Guid? RegistrationId, int Attempt, string? PaymentIntentId, long AmountTotal, string? Currency);

public sealed class StripeUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
