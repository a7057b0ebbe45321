using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Payments;
using Webinars.Webinars;

namespace Webinars.Registrations;

/// <summary>What opening a magic link found: the registration, or why not (unknown token, or expired).</summary>
public sealed record LinkOpening(Registration? Registration, bool Expired)
{
    public static readonly LinkOpening Unknown = new(null, false);
    public static readonly LinkOpening Lapsed = new(null, true);
}

/// <summary>
/// How a registration request came out: the status to answer with (null: full, no waitlist), and whether the email was
/// registered already, so a page can answer a repeat without claiming a status the person may not have.
/// </summary>
public sealed record RegistrationResult(RegistrationStatus? Status, bool Repeat);

/// <summary>How a cancellation went: whether it cancelled anything, and who moved up from the waitlist into the seat.</summary>
public sealed record CancelOutcome(bool Done, Registration? Promoted)
{
    public static readonly CancelOutcome None = new(false, null);
}

/// <summary>A validated registration request (email already normalised).</summary>
/// <param name="TicketTypeId">The chosen ticket type of a paid webinar that has types (see Payments/TicketTypes.cs).</param>
public sealed record NewRegistration(string Name, string Email, string Organization, string TimeZoneId, IReadOnlyList<RegistrationAnswer> Answers, Guid? TicketTypeId = null);

/// <summary>
/// Every change to a registration's status: registering, cancelling (with promotion from the waitlist), approving,
/// declining and rotating the link. Each runs in one transaction together with the notification it queues.
/// Seats are taken only through <see cref="SeatGuard"/> (see docs/decisions/0003-seat-guard.md).
/// </summary>
public sealed class RegistrationService(
    WebinarsDbContext db, IClock clock, IRegistrationNotifier notifier, RegistrationBatches batches, IOptions<RegistrationOptions> options,
    ISeatGuard seats, IPaidSeats paidSeats, ILogger<RegistrationService> logger)
{
    private const int MaxAttempts = 8;
    private readonly ISeatGuard _seats = seats;

    /// <summary>
    /// Registers; or, when the email is already registered, re-sends its link (new token) and answers what a fresh
    /// registration would get right now, so the answer tells nothing about the existing one.
    /// Returns null when the webinar is full and has no waitlist.
    /// </summary>
    /// <exception cref="WebinarChangedException">Staff changed the webinar since <paramref name="webinar"/> was read; nothing was saved.</exception>
    public async Task<RegistrationStatus?> RegisterAsync(Webinar webinar, NewRegistration input, CancellationToken ct) =>
        (await RegisterOrRepeatAsync(webinar, input, ct)).Status;

    /// <summary>As <see cref="RegisterAsync"/>, also telling whether the email was registered already (its link re-sent).</summary>
    /// <exception cref="WebinarChangedException">Staff changed the webinar since <paramref name="webinar"/> was read; nothing was saved.</exception>
    public Task<RegistrationResult> RegisterOrRepeatAsync(Webinar webinar, NewRegistration input, CancellationToken ct) =>
        !webinar.IsFree ? throw new InvalidOperationException("A paid webinar's registrations go through IPaidCheckout.") :
        RunAsync(async () =>
        {
            if (_seats.GuardsInDatabase && OneStatementRegistration.Applies(db))
            {
                var repeat = false;
                if (input.Answers.Count == 0)
                {
                    var together = await batches.RegisterAsync(webinar, input, clock.GetCurrentInstant(), ct);
                    if (together.Result == BatchResult.Registered) return new RegistrationResult(together.Status, Repeat: false);
                    if (together.Result == BatchResult.WebinarChanged) throw new WebinarChangedException(webinar.Slug);
                    repeat = together.Result == BatchResult.AlreadyRegistered;
                }

                if (!repeat)
                {
                    try
                    {
                        return new RegistrationResult(await OneStatementRegistration.InsertAsync(db, webinar, input, clock.GetCurrentInstant(), ct), Repeat: false);
                    }
                    catch (Exception e) when (DbErrors.IsUniqueViolation(e))
                    {
                        repeat = true;
                    }
                }

                // Registered before (perhaps cancelled since): the general path below answers that, on the webinar as it
                // is now (the caller's copy may be a few seconds old).
                webinar = await db.Webinars.AsNoTracking().FirstAsync(w => w.Id == webinar.Id, ct);
                if (RegistrationRules.Refusal(webinar, clock.GetCurrentInstant()) is not null) throw new WebinarChangedException(webinar.Slug);
            }

            try
            {
                return await InTransactionAsync(() => RegisterOnceAsync(webinar, input, ct), commitWhen: r => r.Status is not null, ct);
            }
            catch (Exception e) when (DbErrors.IsUniqueViolation(e))
            {
                // A concurrent request with the same email won the insert: this one is a repeat.
                Discard();
                return await InTransactionAsync(() => RepeatAsync(webinar, input.Email, ct), commitWhen: _ => true, ct);
            }
        }, ct);

    private async Task<RegistrationResult> RegisterOnceAsync(Webinar webinar, NewRegistration input, CancellationToken ct)
    {
        var existing = await db.Registrations.Include(r => r.Answers)
            .FirstOrDefaultAsync(r => r.WebinarId == webinar.Id && r.Email == input.Email, ct);
        if (existing is not null && existing.Status != RegistrationStatus.Cancelled)
        {
            return await RepeatAsync(webinar, existing, ct);
        }

        RegistrationStatus status;
        if (webinar.RequiresApproval) status = RegistrationStatus.PendingApproval;
        else if (await _seats.TryTakeAsync(webinar.Id, ct)) status = RegistrationStatus.Confirmed;
        else if (webinar.Waitlist) status = RegistrationStatus.Waitlisted;
        else return new RegistrationResult(null, Repeat: false);

        var (registration, token) = Arrive(db, webinar, existing, input, clock.GetCurrentInstant());
        registration.Status = status;

        switch (status)
        {
            case RegistrationStatus.Confirmed: notifier.Confirmed(db, registration, token); break;
            case RegistrationStatus.Waitlisted: notifier.Waitlisted(db, registration, token); break;
            default: notifier.PendingApproval(db, registration, token); break;
        }

        await db.SaveChangesAsync(ct);
        return new RegistrationResult(status, Repeat: false);
    }

    /// <summary>
    /// A new arrival with a fresh link, added to <paramref name="db"/>; a cancelled registration (<paramref name="existing"/>)
    /// comes back as one (the unique email index keeps it one row). The caller sets its status; returns it and its token.
    /// </summary>
    internal static (Registration Registration, string Token) Arrive(WebinarsDbContext db, Webinar webinar, Registration? existing, NewRegistration input, Instant now)
    {
        var (token, hash) = AccessTokens.New();
        var registration = existing ?? db.Registrations.Add(new Registration
        {
            WebinarId = webinar.Id,
            Name = input.Name,
            Email = input.Email,
            TimeZoneId = input.TimeZoneId,
            AccessTokenHash = hash,
        }).Entity;
        registration.Name = input.Name;
        registration.Organization = input.Organization;
        registration.TimeZoneId = input.TimeZoneId;
        registration.TicketTypeId = input.TicketTypeId;
        registration.AccessTokenHash = hash;
        registration.CreatedAt = now;
        registration.UpdatedAt = now;
        registration.Answers.Clear();
        registration.Answers.AddRange(input.Answers);
        return (registration, token);
    }

    private async Task<RegistrationResult> RepeatAsync(Webinar webinar, string email, CancellationToken ct)
    {
        var existing = await db.Registrations.FirstAsync(r => r.WebinarId == webinar.Id && r.Email == email, ct);
        return await RepeatAsync(webinar, existing, ct);
    }

    private async Task<RegistrationResult> RepeatAsync(Webinar webinar, Registration existing, CancellationToken ct)
    {
        // The new link waits beside the working one (see ResendLinkAsync): a stranger typing this email ends no session.
        await RotateAsync(existing, actor: null, ct);
        return new RegistrationResult(await _seats.WouldGetAsync(webinar.Id, ct), Repeat: true);
    }

    /// <summary>
    /// "Send me my link again": a new token is emailed; it replaces the old one only when opened
    /// (<see cref="OpenLinkAsync"/>), so the old link keeps working until then.
    /// </summary>
    public Task ResendLinkAsync(Registration registration, string? actor, CancellationToken ct) =>
        RunAsync(async () =>
        {
            var fresh = await db.Registrations.Include(r => r.Webinar).FirstAsync(r => r.Id == registration.Id, ct);
            await RotateAsync(fresh, actor, ct);
            return true;
        }, ct);

    private async Task RotateAsync(Registration registration, string? actor, CancellationToken ct)
    {
        var (token, hash) = AccessTokens.New();
        registration.PendingAccessTokenHash = hash;
        registration.UpdatedAt = clock.GetCurrentInstant();
        notifier.LinkResent(db, registration, token);
        if (actor is not null) Audit(actor, "registration.resend-link", registration);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The magic link: the registration (with its webinar) the token belongs to, or none when the token is unknown or
    /// the link has expired. Opening a token sent by "send my link again" makes it the registration's token; the
    /// previous one, and the sessions it gave, end.
    /// </summary>
    public Task<LinkOpening> OpenLinkAsync(string token, CancellationToken ct) =>
        RunAsync(async () =>
        {
            if (!AccessTokens.LooksValid(token)) return LinkOpening.Unknown;
            var hash = AccessTokens.Hash(token);
            var registration = await db.Registrations.Include(r => r.Webinar)
                .FirstOrDefaultAsync(r => r.AccessTokenHash == hash || r.PendingAccessTokenHash == hash, ct);
            if (registration is null) return LinkOpening.Unknown;
            if (options.Value.LinkExpired(registration.Webinar.EndsAt, clock.GetCurrentInstant())) return LinkOpening.Lapsed;
            if (registration.PendingAccessTokenHash == hash)
            {
                registration.AccessTokenHash = hash;
                registration.PendingAccessTokenHash = null;
                registration.UpdatedAt = clock.GetCurrentInstant();
                await db.SaveChangesAsync(ct);
            }

            return new LinkOpening(registration, Expired: false);
        }, ct);

    /// <summary>
    /// Cancels (idempotent): frees a confirmed seat and promotes the first waitlisted person at once.
    /// <see cref="CancelOutcome.Done"/> is false when it was cancelled (or declined, refunded) already.
    /// </summary>
    public Task<CancelOutcome> CancelAsync(Guid registrationId, string? actor, CancellationToken ct) =>
        RunAsync(() => InTransactionAsync(async () =>
        {
            var registration = await db.Registrations.Include(r => r.Webinar).FirstOrDefaultAsync(r => r.Id == registrationId, ct);
            if (registration is null || registration.Status is RegistrationStatus.Cancelled or RegistrationStatus.Declined or RegistrationStatus.Refunded)
            {
                return CancelOutcome.None;
            }

            // A seat is held by a confirmed registration and by one waiting for its payment.
            var heldSeat = registration.Status is RegistrationStatus.Confirmed or RegistrationStatus.PendingPayment;
            if (!registration.Webinar.IsFree) await paidSeats.CancellingAsync(registration, ct);
            registration.Status = RegistrationStatus.Cancelled;
            registration.UpdatedAt = clock.GetCurrentInstant();
            notifier.Cancelled(db, registration);
            if (actor is not null) Audit(actor, "registration.cancel", registration);
            await db.SaveChangesAsync(ct); // the status token makes a concurrent second cancel fail here, before the seat is freed

            Registration? promoted = null;
            if (heldSeat)
            {
                await _seats.ReleaseAsync(registration.WebinarId, registration.TicketTypeId, ct);
                promoted = await PromoteNextAsync(registration.Webinar, ct);
            }

            return new CancelOutcome(true, promoted);
        }, commitWhen: _ => true, ct), ct);

    /// <summary>Moves waitlisted people, earliest first, into seats that are free (after capacity was raised).</summary>
    public async Task<int> FillFreeSeatsAsync(Webinar webinar, CancellationToken ct)
    {
        var promoted = 0;
        while (await RunAsync(() => InTransactionAsync(() => PromoteNextAsync(webinar, ct), commitWhen: moved => moved is not null, ct), ct) is not null)
        {
            promoted++;
        }

        return promoted;
    }

    /// <summary>Gives the first waitlisted person a free seat (a held one, to pay for, on a paid webinar); null when none moved.</summary>
    internal async Task<Registration?> PromoteNextAsync(Webinar webinar, CancellationToken ct)
    {
        // With ticket types, the earliest whose chosen type has a seat free: they wait for a seat of that type only.
        var next = await db.Registrations
            .Where(r => r.WebinarId == webinar.Id && r.Status == RegistrationStatus.Waitlisted)
            .Where(r => r.TicketTypeId == null || db.Set<TicketType>().Any(t => t.Id == r.TicketTypeId && t.SeatsTaken < t.Seats))
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .FirstOrDefaultAsync(ct);
        if (next is null || !await _seats.TryTakeAsync(webinar.Id, next.TicketTypeId, ct)) return null;
        if (!webinar.IsFree)
        {
            // A paid seat is only offered: held while they pay, like any checkout.
            await paidSeats.OfferAsync(webinar, next, ct);
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Registration {Id} offered a held seat from the waitlist of {Webinar}", next.Id, webinar.Slug);
            return next;
        }

        var (token, hash) = AccessTokens.New();
        next.Status = RegistrationStatus.Confirmed;
        next.AccessTokenHash = hash;
        next.UpdatedAt = clock.GetCurrentInstant();
        notifier.Promoted(db, next, token);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Registration {Id} promoted from the waitlist of {Webinar}", next.Id, webinar.Slug);
        return next;
    }

    /// <summary>Approves one pending registration: a seat if there is one, else the waitlist. Null: not pending, or full.</summary>
    public Task<RegistrationStatus?> ApproveAsync(Webinar webinar, Guid registrationId, string actor, CancellationToken ct) =>
        RunAsync(() => InTransactionAsync(async () =>
        {
            var registration = await db.Registrations.FirstOrDefaultAsync(r => r.Id == registrationId && r.WebinarId == webinar.Id, ct);
            if (registration?.Status != RegistrationStatus.PendingApproval) return null;

            RegistrationStatus? status = await _seats.TryTakeAsync(webinar.Id, registration.TicketTypeId, ct) ? RegistrationStatus.Confirmed
                : webinar.Waitlist ? RegistrationStatus.Waitlisted : null;
            if (status is null) return null;

            var (token, hash) = AccessTokens.New();
            registration.Status = status.Value;
            registration.AccessTokenHash = hash;
            registration.UpdatedAt = clock.GetCurrentInstant();
            if (status == RegistrationStatus.Confirmed) notifier.Promoted(db, registration, token);
            else notifier.Waitlisted(db, registration, token);
            Audit(actor, "registration.approve", registration);
            await db.SaveChangesAsync(ct);
            return status;
        }, commitWhen: s => s is not null, ct), ct);

    /// <summary>Declines a pending or waitlisted registration. False: it was in neither state.</summary>
    public Task<bool> DeclineAsync(Webinar webinar, Guid registrationId, string actor, CancellationToken ct) =>
        RunAsync(async () =>
        {
            var registration = await db.Registrations.FirstOrDefaultAsync(r => r.Id == registrationId && r.WebinarId == webinar.Id, ct);
            if (registration?.Status is not (RegistrationStatus.PendingApproval or RegistrationStatus.Waitlisted)) return false;

            registration.Status = RegistrationStatus.Declined;
            registration.UpdatedAt = clock.GetCurrentInstant();
            notifier.Declined(db, registration);
            Audit(actor, "registration.decline", registration);
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);

    private void Audit(string actor, string action, Registration registration) => db.AuditEntries.Add(new AuditEntry
    {
        At = clock.GetCurrentInstant(),
        Actor = actor,
        Action = action,
        Subject = registration.Id.ToString(),
        Details = registration.Status.ToString(),
    });

    private async Task<T> InTransactionAsync<T>(Func<Task<T>> work, Func<T, bool> commitWhen, CancellationToken ct)
    {
        if (!_seats.GuardsInDatabase) return await work(); // a test's naive guard: no transaction at all

        // On SQLite this is BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default): writers queue on the busy timeout.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await work();
        if (commitWhen(result)) await transaction.CommitAsync(ct);
        else await transaction.RollbackAsync(ct);
        return result;
    }

    /// <summary>Runs a unit of work again when it lost a race.</summary>
    private Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct) =>
        DbErrors.RetryTransientAsync(work, Discard, logger, MaxAttempts, ct);

    /// <summary>Forgets unsaved changes after a rollback, keeping what was loaded (the webinar) usable.</summary>
    private void Discard()
    {
        foreach (var entry in db.ChangeTracker.Entries().ToList())
        {
            if (entry.State == EntityState.Added) entry.State = EntityState.Detached;
            else if (entry.State is EntityState.Modified or EntityState.Deleted) Reset(entry);
        }
    }

    private static void Reset(EntityEntry entry)
    {
        entry.CurrentValues.SetValues(entry.OriginalValues);
        entry.State = EntityState.Detached; // reloaded by the next attempt
    }
}
