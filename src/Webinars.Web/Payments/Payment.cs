using NodaTime;
using Webinars.Registrations;

namespace Webinars.Payments;

/// <summary>Where a registration's payment stands. Transitions are listed in <see cref="PaymentTransitions"/>.</summary>
public enum PaymentState
{
    /// <summary>A seat is held and a Checkout Session is (being) opened.</summary>
    Open,
    /// <summary>Checkout completed with a delayed payment method: the seat stays held until Stripe says paid or failed.</summary>
    Processing,
    Paid,
    /// <summary>The session expired or the payment failed: the hold was released.</summary>
    Expired,
    /// <summary>Paid but without a seat (or cancelled in time): a refund is owed and retried until Stripe takes it.</summary>
    RefundDue,
    Refunded,
}

public static class PaymentTransitions
{
    /// <summary>States in which the payment's registration holds a seat it has not paid for yet.</summary>
    public static bool Holds(PaymentState state) => state is PaymentState.Open or PaymentState.Processing;
}

/// <summary>One registration's payment for a paid webinar (one row per registration; a re-registration starts a new attempt).</summary>
public sealed class Payment
{
    public Guid RegistrationId { get; set; }
    public Registration Registration { get; set; } = null!;
    public Guid WebinarId { get; set; }
    /// <summary>Counts checkouts of this registration; part of the idempotency key, so a re-registration opens a new session.</summary>
    public int Attempt { get; set; } = 1;
    public PaymentState State { get; set; }
    public long Amount { get; set; }
    public required string Currency { get; set; }
    public string? SessionId { get; set; }
    public string? CheckoutUrl { get; set; }
    public string? PaymentIntentId { get; set; }
    public long AmountPaid { get; set; }
    public long AmountRefunded { get; set; }
    /// <summary>Paid after its hold ended and no seat was left: refunded whole, and the payer told why.</summary>
    public bool PaidWithoutSeat { get; set; }
    /// <summary>When our side releases the seat if Stripe's expiry event never comes.</summary>
    public Instant HoldExpiresAt { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }

    /// <summary>Stripe keeps a request with this key for 24 h and answers a retry with the first answer: one session per attempt.</summary>
    public string CheckoutKey => $"checkout-{RegistrationId:N}-{Attempt}";

    public string RefundKey(long amount, int number) => $"refund-{RegistrationId:N}-{Attempt}-{number}-{amount}";
}

/// <summary>A Stripe event already applied; its id is the primary key, so an event is applied once even when delivered twice at once.</summary>
public sealed class StripeEventRecord
{
    public required string Id { get; set; }
    public required string Type { get; set; }
    public Instant AppliedAt { get; set; }
}
