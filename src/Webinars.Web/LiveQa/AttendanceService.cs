using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.LiveQa;

/// <summary>
/// Attendance: a confirmed attendee connected to the Q&amp;A (the live page) while the webinar runs — from when the Q&amp;A
/// opens until the scheduled end — is present. The first visit makes the row; the sweep adds whole minutes while the
/// connection stays, each update conditional on the last-seen it read, so two instances never count a minute twice.
/// </summary>
public sealed class AttendanceService(WebinarsDbContext db, IClock clock, IOptions<QaOptions> options)
{
    /// <summary>Present within this long of the last heartbeat counts as "here now".</summary>
    public static readonly Duration LiveWithin = Duration.FromMinutes(2);

    public async Task SeenAsync(Webinar webinar, Guid registrationId, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        if (!During(webinar, now)) return;
        var seen = await db.Attendances.AsNoTracking().Where(a => a.RegistrationId == registrationId).Select(a => (Instant?)a.LastSeenAt).FirstOrDefaultAsync(ct);
        if (seen is null)
        {
            db.Attendances.Add(new Attendance { RegistrationId = registrationId, WebinarId = webinar.Id, FirstSeenAt = now, LastSeenAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear(); // another tab or instance made it first
            }
        }
        else if (now - seen.Value > LiveWithin)
        {
            // Back after an absence: the gap is not counted.
            await db.Attendances.Where(a => a.RegistrationId == registrationId && a.LastSeenAt == seen.Value)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastSeenAt, now), ct);
        }
    }

    /// <summary>Adds the whole minutes since each present attendee's last-seen.</summary>
    public async Task HeartbeatAsync(IReadOnlyCollection<(Guid WebinarId, Guid RegistrationId)> present, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var webinarIds = present.Select(p => p.WebinarId).Distinct().ToList();
        var live = await db.Webinars.AsNoTracking().Where(w => webinarIds.Contains(w.Id)).ToListAsync(ct);
        foreach (var webinar in live.Where(w => During(w, now)))
        {
            var ids = present.Where(p => p.WebinarId == webinar.Id).Select(p => p.RegistrationId).ToList();
            var rows = await db.Attendances.AsNoTracking().Where(a => ids.Contains(a.RegistrationId)).ToListAsync(ct);
            foreach (var row in rows)
            {
                var minutes = (int)Math.Floor((now - row.LastSeenAt).TotalMinutes);
                if (minutes < 1) continue;
                var next = row.LastSeenAt + Duration.FromMinutes(minutes);
                await db.Attendances.Where(a => a.Id == row.Id && a.LastSeenAt == row.LastSeenAt)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastSeenAt, next).SetProperty(a => a.Minutes, a => a.Minutes + minutes), ct);
            }

            foreach (var missing in ids.Except(rows.Select(r => r.RegistrationId)))
            {
                await SeenAsync(webinar, missing, ct); // connected before the webinar's window began
            }
        }
    }

    /// <summary>How many attendees are here now (seen within <see cref="LiveWithin"/>), on every instance.</summary>
    public Task<int> LiveCountAsync(Guid webinarId, CancellationToken ct)
    {
        var since = clock.GetCurrentInstant() - LiveWithin;
        return db.Attendances.CountAsync(a => a.WebinarId == webinarId && a.LastSeenAt >= since, ct);
    }

    /// <summary>Minutes present per registration, for the registrant list and its CSV.</summary>
    public Task<Dictionary<Guid, int>> MinutesAsync(Guid webinarId, CancellationToken ct) =>
        db.Attendances.AsNoTracking().Where(a => a.WebinarId == webinarId).ToDictionaryAsync(a => a.RegistrationId, a => a.Minutes, ct);

    private bool During(Webinar w, Instant now) => now >= options.Value.OpensAt(w) && now < w.EndsAt;
}
