using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Email;
using Webinars.Webinars;

namespace Webinars.Registrations;

/// <summary>
/// Run by the outbox dispatcher's planner: makes sure every upcoming public webinar has its reminder schedules, then
/// claims those due within <c>Reminders:WriteAheadMinutes</c> and expands each into outbox rows not sendable before
/// the due instant (key <c>reminder:{registration}:{24h}:{sequence}</c>, unique, so even a double expansion would queue
/// nothing twice). Written ahead, 10 000 reminders are in the outbox when their second comes and go out at once; a
/// reschedule or cancellation supersedes the written ones and re-arms the schedule (<see cref="ScheduleNotices"/>).
/// </summary>
public sealed class ReminderRunner(WebinarsDbContext db, RegistrationEmails emails, IClock clock, IOptions<RemindersOptions> options, ILogger<ReminderRunner> logger)
{
    private static readonly Duration Lease = Duration.FromMinutes(2);
    private readonly IReadOnlyList<int> _offsets = [.. options.Value.OffsetDurations.Select(d => (int)d.TotalMinutes)];

    /// <summary>Returns how many reminders were written.</summary>
    public async Task<int> RunAsync(string claimer, CancellationToken ct)
    {
        await PlanAsync(ct);
        var now = clock.GetCurrentInstant();
        var written = 0;
        var ahead = Duration.FromMinutes(options.Value.WriteAheadMinutes);
        foreach (var id in await OutboxLeases.RemindersAsync(db, claimer, now, now + ahead, now + Lease, 10, ct))
        {
            written += await ExpandAsync(id, ct);
        }

        return written;
    }

    private async Task PlanAsync(CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var count = _offsets.Count;
        var webinars = await db.Webinars
            .Where(w => (w.Status == WebinarStatus.Announced || w.Status == WebinarStatus.Live) && w.StartsAt > now)
            .Where(w => db.Set<ReminderSchedule>().Count(s => s.WebinarId == w.Id) < count)
            .OrderBy(w => w.StartsAt).ThenBy(w => w.Id) // the soonest first, when more than one round is needed
            .Select(w => new { w.Id, w.StartsAt, w.Sequence })
            .Take(100)
            .ToListAsync(ct);
        foreach (var w in webinars)
        {
            foreach (var minutes in _offsets)
            {
                await OutboxLeases.InsertScheduleAsync(db, w.Id, minutes, w.Sequence, w.StartsAt - Duration.FromMinutes(minutes), ct);
            }
        }
    }

    private async Task<int> ExpandAsync(Guid scheduleId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var schedule = await db.Set<ReminderSchedule>().SingleOrDefaultAsync(s => s.Id == scheduleId, ct);
        var webinar = schedule is null ? null : await db.Webinars.SingleOrDefaultAsync(w => w.Id == schedule.WebinarId, ct);
        if (schedule is null || webinar is null) return 0;

        var now = clock.GetCurrentInstant();
        var offset = Duration.FromMinutes(schedule.OffsetMinutes);
        schedule.ClaimedUntil = null;
        schedule.ClaimedBy = null;
        if (schedule.Sequence != webinar.Sequence || schedule.DueAt != webinar.StartsAt - offset)
        {
            // Moved by a path that did not re-arm the schedule: follow the webinar instead of reminding at the old time.
            schedule.Sequence = webinar.Sequence;
            schedule.DueAt = webinar.StartsAt - offset;
            await SaveAsync(transaction, ct);
            return 0;
        }

        var queued = 0;
        var useful = webinar.Status is WebinarStatus.Announced or WebinarStatus.Live
            && now < webinar.StartsAt
            && now <= schedule.DueAt + Duration.FromMinutes(options.Value.MaxLatenessMinutes);
        if (useful)
        {
            var label = RemindersOptions.Label(schedule.OffsetMinutes);
            var attendees = await db.Registrations.AsNoTracking()
                .Where(r => r.WebinarId == webinar.Id && r.Status == RegistrationStatus.Confirmed)
                .ToListAsync(ct);
            var existing = (await db.OutboxMessages()
                .Where(m => m.WebinarId == webinar.Id && m.Kind == MessageKinds.Reminder)
                .Select(m => m.DedupeKey)
                .ToListAsync(ct)).ToHashSet();
            foreach (var registration in attendees)
            {
                var key = $"reminder:{registration.Id}:{label}:{webinar.Sequence}";
                if (!existing.Add(key)) continue;
                Outbox.Add(db, emails.Reminder(webinar, registration, offset), key, now, notBefore: schedule.DueAt);
                queued++;
            }
        }
        else
        {
            logger.LogInformation("Reminder {Offset} for {Slug} skipped: due at {DueAt}, now {Now}", offset, webinar.Slug, schedule.DueAt, now);
        }

        schedule.ExpandedAt = now;
        if (!await SaveAsync(transaction, ct)) return 0;
        if (queued > 0) logger.LogInformation("Queued {Count} reminders ({Offset} before) for {Slug}, due at {DueAt}", queued, offset, webinar.Slug, schedule.DueAt);
        return queued;
    }

    private async Task<bool> SaveAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Rescheduled while we worked: the new schedule stands, our expansion is void.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
