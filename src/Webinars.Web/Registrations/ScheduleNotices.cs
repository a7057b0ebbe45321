using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;
using Webinars.Email;
using Webinars.Webinars;

namespace Webinars.Registrations;

/// <summary>
/// Tells registrants about a moved or cancelled webinar, and moves or stops its reminders, in the same SaveChanges as
/// the change itself.
/// </summary>
public sealed class ScheduleNotices(RegistrationEmails emails, IClock clock) : IWebinarObserver
{
    private static readonly RegistrationStatus[] Told = [RegistrationStatus.Confirmed, RegistrationStatus.Waitlisted, RegistrationStatus.PendingApproval];

    public async Task RescheduledAsync(WebinarsDbContext db, Webinar webinar, Instant previousStart, Instant previousEnd, CancellationToken ct)
    {
        foreach (var registration in await RegistrantsAsync(db, webinar, ct))
        {
            emails.Rescheduled(db, webinar, registration, previousStart, previousEnd);
        }

        foreach (var schedule in await db.Set<ReminderSchedule>().Where(s => s.WebinarId == webinar.Id).ToListAsync(ct))
        {
            schedule.Sequence = webinar.Sequence;
            schedule.DueAt = webinar.StartsAt - Duration.FromMinutes(schedule.OffsetMinutes);
            Rearm(db, schedule, expandedAt: null);
        }

        await SupersedeRemindersAsync(db, webinar, "Superseded: the webinar was rescheduled.", ct);
    }

    public async Task CancelledAsync(WebinarsDbContext db, Webinar webinar, CancellationToken ct)
    {
        foreach (var registration in await RegistrantsAsync(db, webinar, ct))
        {
            emails.WebinarCancelled(db, webinar, registration);
        }

        foreach (var schedule in await db.Set<ReminderSchedule>().Where(s => s.WebinarId == webinar.Id).ToListAsync(ct))
        {
            schedule.Sequence = webinar.Sequence;
            Rearm(db, schedule, expandedAt: clock.GetCurrentInstant()); // marked done: never fires
        }

        await SupersedeRemindersAsync(db, webinar, "Superseded: the webinar was cancelled.", ct);
    }

    /// <summary>How many registrants a change of time or a cancellation would email now (the staff editor says so first).</summary>
    public static Task<int> CountToldAsync(WebinarsDbContext db, Guid webinarId, CancellationToken ct) =>
        db.Registrations.CountAsync(r => r.WebinarId == webinarId && Told.Contains(r.Status), ct);

    private static Task<List<Registration>> RegistrantsAsync(WebinarsDbContext db, Webinar webinar, CancellationToken ct) =>
        db.Registrations.Where(r => r.WebinarId == webinar.Id && Told.Contains(r.Status)).OrderBy(r => r.CreatedAt).ToListAsync(ct);

    private static void Rearm(WebinarsDbContext db, ReminderSchedule schedule, Instant? expandedAt)
    {
        schedule.ExpandedAt = expandedAt;
        schedule.ClaimedUntil = null;
        schedule.ClaimedBy = null;
        // Written even if unchanged here: an expansion may have set them since we read the row.
        var entry = db.Entry(schedule);
        entry.Property(s => s.ExpandedAt).IsModified = true;
        entry.Property(s => s.ClaimedUntil).IsModified = true;
    }

    /// <summary>Reminders queued for the old time and not yet sent would be wrong now.</summary>
    private async Task SupersedeRemindersAsync(WebinarsDbContext db, Webinar webinar, string reason, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var stale = await db.OutboxMessages()
            .Where(m => m.WebinarId == webinar.Id && m.Kind == MessageKinds.Reminder && m.SentAt == null && m.GaveUpAt == null)
            .ToListAsync(ct);
        foreach (var message in stale)
        {
            message.GaveUpAt = now;
            message.LastError = reason;
        }
    }
}
