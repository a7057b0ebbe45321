using Microsoft.EntityFrameworkCore;
using Webinars.Registrations;

namespace Webinars.Payments;

/// <summary>What a payment's news does, whether it came from a webhook, our hold timer or reconciliation.</summary>
public enum PaymentNews
{
    /// <summary>Checkout completed and paid, or a delayed payment succeeded.</summary>
    Paid,
    /// <summary>Checkout completed with a delayed payment method: keep the hold.</summary>
    Processing,
    /// <summary>The session expired or its delayed payment failed.</summary>
    Ended,
}

public sealed partial class PaymentService
{
    /// <summary>
    /// Applies one piece of news once: <paramref name="eventId"/> is inserted in the same transaction as its effect, so a
    /// repeat (or the same event delivered twice at once) hits the unique key and changes nothing. False: applied before.
    /// </summary>
    public async Task<bool> ApplyAsync(string eventId, string type, Func<CancellationToken, Task<string?>> effect, CancellationToken ct)
    {
        try
        {
            return await RunAsync(() => InTransactionAsync(async () =>
            {
                db.ChangeTracker.Clear();
                db.Set<StripeEventRecord>().Add(new StripeEventRecord { Id = eventId, Type = type, AppliedAt = clock.GetCurrentInstant() });
                await db.SaveChangesAsync(ct); // a duplicate fails here, before any effect
                var done = await effect(ct);
                await db.SaveChangesAsync(ct);
                if (done is not null) logger.LogInformation("Stripe {Type} {EventId}: {Effect}", type, eventId, done);
                return true;
            }, ct), ct);
        }
        catch (Exception e) when (DbErrors.IsUniqueViolation(e))
        {
            Discard();
            logger.LogDebug("Stripe event {EventId} was applied before", eventId);
            return false;
        }
    }

    /// <summary>A Checkout Session's news. Returns what changed (for the log), or null when nothing did.</summary>
    internal async Task<string?> SessionNewsAsync(CheckoutSession session, PaymentNews news, bool repairing, CancellationToken ct)
    {
        if (session.RegistrationId is not { } id) return null;
        var payment = await db.Payments().Include(p => p.Registration).ThenInclude(r => r.Webinar).FirstOrDefaultAsync(p => p.RegistrationId == id, ct);
        if (payment is null)
        {
            if (news == PaymentNews.Paid) logger.LogError("Paid Checkout Session {Session} names registration {Id}, which does not exist: refund it in Stripe's dashboard", session.Id, id);
            return null;
        }

        if (session.Attempt != payment.Attempt || (payment.SessionId is not null && payment.SessionId != session.Id))
        {
            if (news == PaymentNews.Paid) logger.LogError("Paid Checkout Session {Session} belongs to an earlier checkout of registration {Id}: refund it in Stripe's dashboard", session.Id, id);
            return null;
        }

        var linkSaved = payment.CheckoutUrl is not null;
        payment.SessionId ??= session.Id;
        payment.CheckoutUrl ??= session.Url;
        payment.PaymentIntentId ??= session.PaymentIntentId;
        return news switch
        {
            PaymentNews.Paid => await PaidAsync(payment, session, sendLink: repairing && !linkSaved, ct),
            PaymentNews.Processing when payment.State == PaymentState.Open => Move(payment, PaymentState.Processing, "payment processing; seat kept"),
            PaymentNews.Ended => await EndHoldAsync(payment, ct),
            _ => null,
        };
    }

    private async Task<string?> PaidAsync(Payment payment, CheckoutSession session, bool sendLink, CancellationToken ct)
    {
        if (payment.State is PaymentState.Paid or PaymentState.RefundDue or PaymentState.Refunded) return null;
        payment.AmountPaid = session.AmountTotal;
        var registration = payment.Registration;
        var holding = PaymentTransitions.Holds(payment.State) && registration.Status == RegistrationStatus.PendingPayment;
        // Paid after the hold ended: a seat if one is free, else the money goes back (never a charge without a seat).
        if (!holding && !await _seats.TryTakeAsync(registration.WebinarId, registration.TicketTypeId, ct))
        {
            Move(payment, PaymentState.RefundDue, "");
            payment.PaidWithoutSeat = true;
            registration.Status = RegistrationStatus.Cancelled;
            registration.UpdatedAt = clock.GetCurrentInstant();
            return "paid after its hold ended and no seat was left: refund due";
        }

        registration.Status = RegistrationStatus.Confirmed;
        registration.UpdatedAt = clock.GetCurrentInstant();
        Move(payment, PaymentState.Paid, "");
        var amount = Money.Text(payment.AmountPaid, payment.Currency);
        emails.PaymentMessage(db, registration.Webinar, registration, MessageKinds.PaymentReceipt, $"receipt:{registration.Id}:{payment.Attempt}",
            $"Payment received, you're registered: {registration.Webinar.Title}",
            [$"We received your payment of {amount} for “{registration.Webinar.Title}”. Your seat is confirmed; the calendar invite is attached.", $"Receipt: {amount}, paid by card through Stripe."],
            invite: true);
        if (sendLink)
        {
            // The link email was lost with the request that opened the checkout: a new link replaces the one nobody received.
            var (token, hash) = AccessTokens.New();
            registration.AccessTokenHash = hash;
            notifier.Confirmed(db, registration, token);
        }

        return holding ? $"confirmed, {amount} paid" : $"paid after its hold ended, a seat was still free: confirmed, {amount} paid";
    }

    private async Task<string?> EndHoldAsync(Payment payment, CancellationToken ct)
    {
        var registration = payment.Registration;
        if (!PaymentTransitions.Holds(payment.State)) return null;
        Move(payment, PaymentState.Expired, "");
        if (registration.Status != RegistrationStatus.PendingPayment) return "checkout ended";
        registration.Status = RegistrationStatus.Cancelled;
        registration.UpdatedAt = clock.GetCurrentInstant();
        await db.SaveChangesAsync(ct);
        await _seats.ReleaseAsync(registration.WebinarId, registration.TicketTypeId, ct);
        await registrations.PromoteNextAsync(registration.Webinar, ct);
        return "hold released";
    }

    /// <summary>Stripe reports the refunded total of a payment (ours or one made in Stripe's dashboard).</summary>
    internal async Task<string?> RefundedAsync(string paymentIntentId, long amountRefunded, bool full, CancellationToken ct)
    {
        var payment = await db.Payments().Include(p => p.Registration).ThenInclude(r => r.Webinar).FirstOrDefaultAsync(p => p.PaymentIntentId == paymentIntentId, ct);
        if (payment is null) return null;
        payment.AmountRefunded = Math.Max(payment.AmountRefunded, amountRefunded);
        payment.UpdatedAt = clock.GetCurrentInstant();
        if (!full || payment.State == PaymentState.Refunded) return $"refunded so far: {Money.Text(payment.AmountRefunded, payment.Currency)}";
        await RefundCompletedAsync(payment, ct);
        return "refunded in full";
    }

    /// <summary>The whole payment is back with the payer: the registration is Refunded and its seat (if any) goes to the waitlist.</summary>
    private async Task RefundCompletedAsync(Payment payment, CancellationToken ct)
    {
        var registration = payment.Registration;
        var hadSeat = registration.Status is RegistrationStatus.Confirmed or RegistrationStatus.PendingPayment;
        Move(payment, PaymentState.Refunded, "");
        payment.AmountRefunded = Math.Max(payment.AmountRefunded, payment.AmountPaid);
        registration.Status = RegistrationStatus.Refunded;
        registration.UpdatedAt = clock.GetCurrentInstant();
        var amount = Money.Text(payment.AmountRefunded, payment.Currency);
        emails.PaymentMessage(db, registration.Webinar, registration, MessageKinds.PaymentRefunded, $"refunded:{registration.Id}:{payment.Attempt}",
            $"Refunded: {registration.Webinar.Title}",
            [payment.PaidWithoutSeat
                ? $"Your payment for “{registration.Webinar.Title}” arrived after your seat had been given to someone else, so we refunded all of it ({amount}). We are sorry."
                : $"Your payment of {amount} for “{registration.Webinar.Title}” was refunded and your registration ended."],
            invite: false);
        await db.SaveChangesAsync(ct);
        if (hadSeat)
        {
            await _seats.ReleaseAsync(registration.WebinarId, registration.TicketTypeId, ct);
            await registrations.PromoteNextAsync(registration.Webinar, ct);
        }
    }

    private string? Move(Payment payment, PaymentState to, string? said)
    {
        payment.State = to;
        payment.UpdatedAt = clock.GetCurrentInstant();
        return said;
    }
}
