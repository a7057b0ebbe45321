using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Payments;

/// <summary>
/// A paid registration's payment row moving together with its seat, on the caller's context and transaction: opening a
/// hold (a new checkout attempt) and what a cancellation means for the money.
/// </summary>
public sealed class PaymentHolds(WebinarsDbContext db, IClock clock, IRegistrationNotifier notifier, RefundTerms terms, IOptions<StripeOptions> options) : IPaidSeats
{
    /// <summary>Our timer waits this long past the session's expiry for Stripe's own event before releasing the seat.</summary>
    public static readonly Duration Grace = Duration.FromMinutes(2);

    public async Task OfferAsync(Webinar webinar, Registration next, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        await OpenAsync(webinar, next, now, ct);
        var (token, hash) = AccessTokens.New();
        next.Status = RegistrationStatus.PendingPayment;
        next.AccessTokenHash = hash;
        next.UpdatedAt = now;
        notifier.SeatOffered(db, next, token);
    }

    public async Task CancellingAsync(Registration registration, CancellationToken ct)
    {
        var payment = await db.Payments().FirstOrDefaultAsync(p => p.RegistrationId == registration.Id, ct);
        if (payment is null) return;
        var now = clock.GetCurrentInstant();
        if (PaymentTransitions.Holds(payment.State))
        {
            // The session is expired at Stripe by the next sweep; a payment that still gets through is refunded or seated then.
            payment.State = PaymentState.Expired;
        }
        else if (payment.State == PaymentState.Paid && payment.AmountPaid > payment.AmountRefunded && await terms.RefundableNowAsync(registration.Webinar, ct))
        {
            // Refunded whole by the sweep under the key refund-{registration}-{attempt}-due: a retry refunds once.
            payment.State = PaymentState.RefundDue;
        }

        payment.UpdatedAt = now;
    }

    /// <summary>Starts a checkout attempt for a registration that has just taken its seat; the caller saves.</summary>
    public async Task<Payment> OpenAsync(Webinar webinar, Registration registration, Instant now, CancellationToken ct)
    {
        var payment = await db.Payments().FirstOrDefaultAsync(p => p.RegistrationId == registration.Id, ct);
        return Open(webinar, registration, payment, await PriceAsync(webinar, registration.TicketTypeId, ct), now);
    }

    /// <summary>What a checkout of this ticket type (or of the webinar, without one) costs now.</summary>
    public async Task<long> PriceAsync(Webinar webinar, Guid? ticketTypeId, CancellationToken ct) =>
        ticketTypeId is { } type
            ? await db.Set<TicketType>().Where(t => t.Id == type).Select(t => t.PriceAmount).FirstAsync(ct)
            : webinar.PriceAmount!.Value;

    /// <summary>
    /// As <see cref="OpenAsync"/> with what it reads given (the registration's payment row, if any, and the price), so a
    /// caller holding the webinar's row lock adds no round trip to it.
    /// </summary>
    public Payment Open(Webinar webinar, Registration registration, Payment? payment, long amount, Instant now)
    {
        if (payment is null)
        {
            payment = new Payment { RegistrationId = registration.Id, Registration = registration, Currency = webinar.PriceCurrency!, Attempt = 0 };
            db.Payments().Add(payment);
        }

        payment.WebinarId = webinar.Id;
        payment.Attempt++;
        payment.State = PaymentState.Open;
        // A ticket type's price as it is now; an attempt keeps the amount it opened with, and refunds use what was paid.
        payment.Amount = amount;
        payment.Currency = webinar.PriceCurrency!;
        payment.SessionId = null;
        payment.CheckoutUrl = null;
        payment.PaymentIntentId = null;
        payment.AmountPaid = 0;
        payment.AmountRefunded = 0;
        // Stripe wants at least 30 minutes between creating a session and its expiry; one more covers the trip there.
        payment.HoldExpiresAt = now + Duration.FromMinutes(options.Value.HoldMinutes + 1);
        payment.CreatedAt = now;
        payment.UpdatedAt = now;
        return payment;
    }
}

public static class PaymentQueries
{
    public static DbSet<Payment> Payments(this WebinarsDbContext db) => db.Set<Payment>();
}
