using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Payments;

/// <summary>
/// Paid registration: a seat is held through the seat guard (held seats count like confirmed ones), then a Checkout
/// Session is opened; Stripe's events (or our own timer and reconciliation) confirm, release or refund it.
/// Every change runs in one transaction with the messages it queues (docs/decisions/0006-payments.md).
/// </summary>
public sealed partial class PaymentService(
    WebinarsDbContext db, IClock clock, IStripeGateway stripe, RegistrationService registrations, PaymentHolds holds, ISeatGuard seats,
    IRegistrationNotifier notifier, RegistrationEmails emails, IOptions<StripeOptions> options, IOptions<SiteOptions> site,
    ILogger<PaymentService> logger) : IPaidCheckout
{
    private const int MaxAttempts = 8;
    private readonly ISeatGuard _seats = seats;
    private readonly StripeOptions _options = options.Value;

    /// <summary>A seat held for <see cref="Registration"/>; <see cref="Token"/> is its new link (null: the attendee has theirs already).</summary>
    private sealed record Hold(Registration Registration, int Attempt, string? Token, bool Created, bool UndoOnFailure = true);

    public async Task<PaidRegistration> RegisterAsync(Webinar webinar, NewRegistration input, CancellationToken ct)
    {
        if (_options.MissingSetting is { } missing)
        {
            return new PaidRegistration(null, null, null, $"Paid registration is not available: payments are not configured ({missing} is not set).");
        }

        object? outcome;
        try
        {
            outcome = await RunAsync(() => InTransactionAsync(() => HoldSeatAsync(webinar, input, ct), ct), ct);
        }
        catch (Exception e) when (DbErrors.IsUniqueViolation(e))
        {
            Discard();
            outcome = "repeat"; // the same email won a concurrent insert
        }

        switch (outcome)
        {
            case RegistrationStatus.Waitlisted:
                return new PaidRegistration(RegistrationStatus.Waitlisted, null, null);
            case Hold hold:
                return await OpenCheckoutAsync(webinar, hold, ct);
            case null:
                return new PaidRegistration(null, null, null, input.TicketTypeId is null ? "The webinar is full." : "No tickets of this type are left.");
            default:
                return await RepeatAsync(webinar, input.Email, ct);
        }
    }

    private async Task<object?> HoldSeatAsync(Webinar webinar, NewRegistration input, CancellationToken ct)
    {
        var existing = await db.Registrations.FirstOrDefaultAsync(r => r.WebinarId == webinar.Id && r.Email == input.Email, ct);
        if (existing is not null && existing.Status != RegistrationStatus.Cancelled) return "repeat";

        // Read all that the hold needs before taking the seat: from the seat's UPDATE to the commit the webinar's row is
        // locked, and every paid registration of the webinar queues on it (the bench's paid rush measures that).
        var earlier = existing is null ? null : await db.Payments().FirstOrDefaultAsync(p => p.RegistrationId == existing.Id, ct);
        var price = await holds.PriceAsync(webinar, input.TicketTypeId, ct);
        var seat = await _seats.TryTakeAsync(webinar.Id, input.TicketTypeId, ct);
        if (!seat && !webinar.Waitlist) return null;

        var now = clock.GetCurrentInstant();
        var (registration, token) = RegistrationService.Arrive(db, webinar, existing, input, now);
        if (!seat)
        {
            registration.Status = RegistrationStatus.Waitlisted;
            notifier.Waitlisted(db, registration, token);
            await db.SaveChangesAsync(ct);
            return RegistrationStatus.Waitlisted;
        }

        registration.Status = RegistrationStatus.PendingPayment;
        var payment = holds.Open(webinar, registration, earlier, price, now);
        await db.SaveChangesAsync(ct);
        return new Hold(registration, payment.Attempt, token, existing is null);
    }

    /// <summary>A second registration with the same email: a new link by email, and the open checkout if there is one.</summary>
    private async Task<PaidRegistration> RepeatAsync(Webinar webinar, string email, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var existing = await db.Registrations.Include(r => r.Webinar).FirstAsync(r => r.WebinarId == webinar.Id && r.Email == email, ct);
        await registrations.ResendLinkAsync(existing, actor: null, ct);
        var payment = await db.Payments().AsNoTracking().FirstOrDefaultAsync(p => p.RegistrationId == existing.Id, ct);
        if (existing.Status == RegistrationStatus.PendingPayment && payment is { State: PaymentState.Open, CheckoutUrl: { } url })
        {
            return new PaidRegistration(RegistrationStatus.PendingPayment, url, null);
        }

        var seatsLeft = await db.Webinars.Where(w => w.Id == webinar.Id).Select(w => w.Capacity == null || w.SeatsTaken < w.Capacity).FirstAsync(ct);
        return seatsLeft ? new PaidRegistration(RegistrationStatus.PendingPayment, null, null, Repeat: true)
            : webinar.Waitlist ? new PaidRegistration(RegistrationStatus.Waitlisted, null, null, Repeat: true)
            : new PaidRegistration(null, null, null, "The webinar is full.", Repeat: true);
    }

    /// <summary>Opens the Checkout Session for a held seat (also from the manage page, for a seat offered from the waitlist).</summary>
    private async Task<PaidRegistration> OpenCheckoutAsync(Webinar webinar, Hold hold, CancellationToken ct)
    {
        var registration = hold.Registration;
        var payment = await db.Payments().AsNoTracking().FirstAsync(p => p.RegistrationId == registration.Id, ct);
        var ticket = registration.TicketTypeId is { } type
            ? await db.Set<TicketType>().Where(t => t.Id == type).Select(t => t.Name).FirstOrDefaultAsync(ct)
            : null;
        CheckoutSession session;
        try
        {
            session = await stripe.CreateCheckoutAsync(Request(webinar, registration, payment, ticket), ct);
        }
        catch (StripeUnavailableException e)
        {
            logger.LogWarning("Checkout for registration {Id} failed, its seat is released: {Reason}", registration.Id, e.Message);
            if (hold.UndoOnFailure) await RunAsync(() => InTransactionAsync(() => UndoHoldAsync(registration.Id, hold.Attempt, hold.Created, ct), ct), ct);
            return new PaidRegistration(null, null, null,
                "The payment service did not answer, so nothing was saved and no seat is held. Please try again in a minute.",
                StatusCodes.Status503ServiceUnavailable);
        }

        await RunAsync(() => InTransactionAsync(() => SessionOpenedAsync(registration.Id, hold, session, ct), ct), ct);
        return new PaidRegistration(RegistrationStatus.PendingPayment, session.Url, registration);
    }

    /// <summary>
    /// The checkout of a seat held for a signed-in attendee (offered from the waitlist, or a page reloaded): the open
    /// session, or a new one under the same idempotency key. A Stripe failure keeps the hold until it runs out.
    /// </summary>
    public async Task<PaidRegistration> CheckoutForAsync(Webinar webinar, Guid registrationId, CancellationToken ct)
    {
        var payment = await db.Payments().Include(p => p.Registration).FirstOrDefaultAsync(p => p.RegistrationId == registrationId, ct);
        if (payment is null || payment.Registration.Status != RegistrationStatus.PendingPayment || payment.State != PaymentState.Open)
        {
            return new PaidRegistration(null, null, null, "There is no payment waiting for this registration.");
        }

        if (payment.CheckoutUrl is { } url) return new PaidRegistration(RegistrationStatus.PendingPayment, url, null);
        return await OpenCheckoutAsync(webinar, new Hold(payment.Registration, payment.Attempt, null, Created: false, UndoOnFailure: false), ct);
    }

    /// <summary>What Stripe is asked for; the line item names the ticket type, so the payer sees what they buy.</summary>
    private CheckoutRequest Request(Webinar webinar, Registration registration, Payment payment, string? ticket)
    {
        var manage = site.Value.Link($"/webinars/{webinar.Slug}/manage");
        var description = ticket is null ? webinar.Title : $"{webinar.Title} — {ticket}";
        return new CheckoutRequest(
            registration.Id, payment.Attempt, payment.CheckoutKey, registration.Email, description, payment.Amount, payment.Currency,
            payment.HoldExpiresAt, manage + "?notice=paid", manage + "?notice=payment-cancelled");
    }

    /// <summary>Saves the session's id and URL (unless a newer attempt replaced it) and emails the manage link.</summary>
    private async Task<bool> SessionOpenedAsync(Guid registrationId, Hold hold, CheckoutSession session, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var payment = await db.Payments().Include(p => p.Registration).FirstAsync(p => p.RegistrationId == registrationId, ct);
        if (payment.Attempt != hold.Attempt) return true;
        payment.SessionId ??= session.Id;
        payment.CheckoutUrl = session.Url;
        var registration = payment.Registration;
        // Stripe's completed event may have been applied first (it finds the registration by client_reference_id).
        if (hold.Token is { } token && registration.Status == RegistrationStatus.Confirmed) notifier.Confirmed(db, registration, token);
        else if (hold.Token is { } pending && registration.Status == RegistrationStatus.PendingPayment) notifier.PaymentPending(db, registration, pending);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Stripe could not be reached: the hold goes as if it had never been (a new registration's row too).</summary>
    private async Task<bool> UndoHoldAsync(Guid registrationId, int attempt, bool created, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var payment = await db.Payments().Include(p => p.Registration).ThenInclude(r => r.Webinar).FirstOrDefaultAsync(p => p.RegistrationId == registrationId, ct);
        if (payment is null || payment.Attempt != attempt || !PaymentTransitions.Holds(payment.State)) return true;
        var registration = payment.Registration;
        if (registration.Status != RegistrationStatus.PendingPayment) return true;
        if (created)
        {
            db.Registrations.Remove(registration);
        }
        else
        {
            registration.Status = RegistrationStatus.Cancelled;
            payment.State = PaymentState.Expired;
        }

        await db.SaveChangesAsync(ct);
        await _seats.ReleaseAsync(registration.WebinarId, registration.TicketTypeId, ct);
        await registrations.PromoteNextAsync(registration.Webinar, ct);
        return true;
    }

    private async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await work();
        await transaction.CommitAsync(ct);
        return result;
    }

    /// <summary>Runs a unit of work again when it lost a race.</summary>
    private Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct) =>
        DbErrors.RetryTransientAsync(work, Discard, logger, MaxAttempts, ct);

    private void Discard() => db.ChangeTracker.Clear();
}
