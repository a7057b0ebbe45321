using Microsoft.EntityFrameworkCore;
using Stripe;
using Stripe.Checkout;
using Webinars.Data;

namespace Webinars.Payments;

public enum RefundOutcome
{
    Done,
    NotFound,
    NotPaid,
    TooMuch,
    Unavailable,
}

public sealed partial class PaymentService
{
    /// <summary>Staff refund part or all (<paramref name="amount"/> null) of what is left of a registration's payment.</summary>
    public async Task<(RefundOutcome Outcome, string Message)> RefundByStaffAsync(Guid webinarId, Guid registrationId, long? amount, string actor, CancellationToken ct)
    {
        var payment = await db.Payments().AsNoTracking().FirstOrDefaultAsync(p => p.RegistrationId == registrationId && p.WebinarId == webinarId, ct);
        if (payment is null) return (RefundOutcome.NotFound, "This registration has no payment.");
        if (payment.State is not PaymentState.Paid || payment.PaymentIntentId is null) return (RefundOutcome.NotPaid, $"Only a paid registration can be refunded; this payment is {payment.State}.");
        var left = payment.AmountPaid - payment.AmountRefunded;
        var refund = amount ?? left;
        if (refund < 1 || refund > left) return (RefundOutcome.TooMuch, $"The amount must be between 1 and {left} (minor units of {payment.Currency}) — what is left of the payment.");

        try
        {
            // Keyed by what was refunded before: a retried click refunds once, a later second refund is a new one.
            await stripe.RefundAsync(payment.PaymentIntentId, refund, $"refund-{registrationId:N}-{payment.Attempt}-staff-{payment.AmountRefunded}-{refund}", ct);
        }
        catch (StripeUnavailableException e)
        {
            logger.LogWarning("Staff refund of registration {Id} failed: {Reason}", registrationId, e.Message);
            return (RefundOutcome.Unavailable, "The payment service did not answer; nothing was refunded. Please try again in a minute.");
        }

        var total = payment.AmountRefunded + refund;
        await ApplyAsync($"refund:{registrationId:N}:{payment.Attempt}:staff:{total}", "refund.created", async c =>
        {
            var fresh = await db.Payments().Include(p => p.Registration).ThenInclude(r => r.Webinar).FirstAsync(p => p.RegistrationId == registrationId, c);
            fresh.AmountRefunded = Math.Max(fresh.AmountRefunded, total);
            fresh.UpdatedAt = clock.GetCurrentInstant();
            db.AuditEntries.Add(new AuditEntry
            {
                At = clock.GetCurrentInstant(),
                Actor = actor,
                Action = "payment.refund",
                Subject = registrationId.ToString(),
                Details = Money.Text(refund, fresh.Currency),
            });
            if (fresh.AmountRefunded >= fresh.AmountPaid && fresh.State != PaymentState.Refunded) await RefundCompletedAsync(fresh, c);
            return $"staff refunded {Money.Text(refund, fresh.Currency)}";
        }, ct);
        return (RefundOutcome.Done, $"Refunded {Money.Text(refund, payment.Currency)}.");
    }

    /// <summary>A verified webhook event. Types we do not act on are acknowledged and not stored.</summary>
    public Task HandleEventAsync(Event stripeEvent, CancellationToken ct)
    {
        var news = stripeEvent.Type switch
        {
            EventTypes.CheckoutSessionCompleted => stripeEvent.Data.Object is Session { PaymentStatus: "paid" } ? PaymentNews.Paid : PaymentNews.Processing,
            EventTypes.CheckoutSessionAsyncPaymentSucceeded => PaymentNews.Paid,
            EventTypes.CheckoutSessionExpired or EventTypes.CheckoutSessionAsyncPaymentFailed => PaymentNews.Ended,
            _ => (PaymentNews?)null,
        };
        if (news is { } n && stripeEvent.Data.Object is Session session)
        {
            return ApplyAsync(stripeEvent.Id, stripeEvent.Type, c => SessionNewsAsync(StripeGateway.From(session), n, repairing: false, c), ct);
        }

        if (stripeEvent.Type == EventTypes.ChargeRefunded && stripeEvent.Data.Object is Charge { PaymentIntentId: { } intent } charge)
        {
            return ApplyAsync(stripeEvent.Id, stripeEvent.Type, c => RefundedAsync(intent, charge.AmountRefunded, charge.Refunded, c), ct);
        }

        return Task.CompletedTask;
    }
}
