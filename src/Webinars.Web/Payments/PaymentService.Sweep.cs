using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Webinars.Payments;

public sealed record SweepResult(int HoldsReleased, int Refunded, int Repaired);

public sealed partial class PaymentService
{
    /// <summary>How far back reconciliation looks at Stripe's sessions (a session lives at most a day).</summary>
    private static readonly Duration ReconcileWindow = Duration.FromHours(25);

    /// <summary>
    /// One round of the work no request does: holds whose session expired without Stripe's event are released, refunds
    /// owed are made, and recent sessions are compared with our rows. Each change is a conditional state move applied
    /// once (the news ids share the webhook events' unique key), so rounds on several instances at once do nothing twice.
    /// </summary>
    public async Task<SweepResult> SweepAsync(CancellationToken ct) =>
        new(await ReleaseExpiredHoldsAsync(ct), await RefundDueAsync(ct), await ReconcileAsync(ct));

    private async Task<int> ReleaseExpiredHoldsAsync(CancellationToken ct)
    {
        var cutoff = clock.GetCurrentInstant() - PaymentHolds.Grace;
        var due = await db.Payments().AsNoTracking()
            .Where(p => p.State == PaymentState.Open && p.HoldExpiresAt < cutoff)
            .OrderBy(p => p.HoldExpiresAt).ThenBy(p => p.RegistrationId) // the longest overdue first
            .Select(p => new { p.RegistrationId, p.Attempt, p.SessionId })
            .Take(100).ToListAsync(ct);
        var released = 0;
        foreach (var hold in due)
        {
            var session = hold.SessionId is null ? null : await AskStripeAsync(hold.SessionId, ct);
            if (session is { Status: "complete", PaymentStatus: "paid" })
            {
                await ApplyAsync($"hold:{session.Id}:paid", "hold.paid", c => SessionNewsAsync(session, PaymentNews.Paid, repairing: true, c), ct);
                continue;
            }

            if (await ApplyAsync($"hold:{hold.RegistrationId:N}:{hold.Attempt}:expired", "hold.expired", c => EndHoldByTimerAsync(hold.RegistrationId, hold.Attempt, c), ct))
            {
                released++;
            }
        }

        return released;
    }

    /// <summary>The session as Stripe has it now; an open one is expired first, so it can no longer be paid.</summary>
    private async Task<CheckoutSession?> AskStripeAsync(string sessionId, CancellationToken ct)
    {
        try
        {
            var session = await stripe.GetSessionAsync(sessionId, ct);
            if (session.Status != "open") return session;
            await stripe.ExpireSessionAsync(sessionId, ct);
            return session with { Status = "expired" };
        }
        catch (StripeUnavailableException e)
        {
            // Stripe expired the session itself before our grace ran out: releasing is safe without its answer.
            logger.LogWarning("Hold of session {Session} released without Stripe's word: {Reason}", sessionId, e.Message);
            return null;
        }
    }

    private async Task<string?> EndHoldByTimerAsync(Guid registrationId, int attempt, CancellationToken ct)
    {
        var payment = await db.Payments().Include(p => p.Registration).ThenInclude(r => r.Webinar).FirstOrDefaultAsync(p => p.RegistrationId == registrationId, ct);
        if (payment is null || payment.Attempt != attempt) return null;
        return await EndHoldAsync(payment, ct) is { } done ? $"{done} by our timer (no expiry event from Stripe)" : null;
    }

    private async Task<int> RefundDueAsync(CancellationToken ct)
    {
        var due = await db.Payments().AsNoTracking().Where(p => p.State == PaymentState.RefundDue)
            .OrderBy(p => p.UpdatedAt).ThenBy(p => p.RegistrationId).Take(50).ToListAsync(ct);
        var refunded = 0;
        foreach (var payment in due)
        {
            try
            {
                var intent = payment.PaymentIntentId ?? (payment.SessionId is { } sid ? (await stripe.GetSessionAsync(sid, ct)).PaymentIntentId : null);
                if (intent is null)
                {
                    logger.LogWarning("Refund of registration {Id} waits: no payment intent known yet", payment.RegistrationId);
                    continue;
                }

                var amount = payment.AmountPaid - payment.AmountRefunded;
                if (amount > 0) await stripe.RefundAsync(intent, amount, $"refund-{payment.RegistrationId:N}-{payment.Attempt}-due", ct);
                await ApplyAsync($"refund:{payment.RegistrationId:N}:{payment.Attempt}:due", "refund.created", async c =>
                {
                    var fresh = await db.Payments().Include(p => p.Registration).ThenInclude(r => r.Webinar).FirstAsync(p => p.RegistrationId == payment.RegistrationId, c);
                    fresh.PaymentIntentId ??= intent;
                    if (fresh.State != PaymentState.RefundDue) return null;
                    await RefundCompletedAsync(fresh, c);
                    return $"refunded {Money.Text(amount, fresh.Currency)}";
                }, ct);
                refunded++;
            }
            catch (StripeUnavailableException e)
            {
                logger.LogWarning("Refund of registration {Id} failed, retried next round: {Reason}", payment.RegistrationId, e.Message);
            }
        }

        return refunded;
    }

    private async Task<int> ReconcileAsync(CancellationToken ct)
    {
        IReadOnlyList<CheckoutSession> sessions;
        try
        {
            sessions = await stripe.RecentSessionsAsync(clock.GetCurrentInstant() - ReconcileWindow, ct);
        }
        catch (StripeUnavailableException e)
        {
            logger.LogWarning("Reconciliation skipped this round: {Reason}", e.Message);
            return 0;
        }

        var repaired = 0;
        foreach (var session in sessions.Where(s => s.RegistrationId is not null))
        {
            var news = session switch
            {
                { Status: "complete", PaymentStatus: "paid" } => PaymentNews.Paid,
                { Status: "complete" } => PaymentNews.Processing,
                { Status: "expired" } => PaymentNews.Ended,
                _ => (PaymentNews?)null,
            };
            string? done = null;
            var id = $"reconcile:{session.Id}:{session.Status}:{session.PaymentStatus}";
            await ApplyAsync(id, "reconcile", async c => done = news is { } n ? await SessionNewsAsync(session, n, repairing: true, c) : await OpenSessionAsync(session, c), ct);
            if (done is null) continue;
            repaired++;
            logger.LogWarning("Reconciliation repaired registration {Id} from session {Session}: {Repair}", session.RegistrationId, session.Id, done);
        }

        return repaired;
    }

    /// <summary>An open session we never saved (the request that opened it died): keep its id, so the hold timer can expire it.</summary>
    private async Task<string?> OpenSessionAsync(CheckoutSession session, CancellationToken ct)
    {
        var payment = await db.Payments().FirstOrDefaultAsync(p => p.RegistrationId == session.RegistrationId, ct);
        if (payment is null || payment.Attempt != session.Attempt || payment.SessionId is not null || !PaymentTransitions.Holds(payment.State)) return null;
        payment.SessionId = session.Id;
        payment.CheckoutUrl = session.Url;
        return "open session's id saved";
    }
}
