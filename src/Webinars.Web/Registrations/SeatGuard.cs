using Microsoft.EntityFrameworkCore;
using Webinars.Data;

namespace Webinars.Registrations;

/// <summary>
/// The only code that changes <c>Webinars.SeatsTaken</c>. A seat is taken by one conditional UPDATE of the webinar's
/// row — <c>SET SeatsTaken = SeatsTaken + 1 WHERE Id = @id AND (Capacity IS NULL OR SeatsTaken &lt; Capacity)</c> —
/// inside the caller's transaction: the database evaluates the condition and the increment atomically under the row's
/// write lock, so no interleaving of requests can take more seats than there are (docs/decisions/0003-seat-guard.md).
/// </summary>
internal sealed class SeatGuard(WebinarsDbContext db, bool unsafeForTests)
{
    /// <summary>How long the unsafe variant waits between its count and its insert, to make the race visible.</summary>
    private static readonly TimeSpan UnsafeGap = TimeSpan.FromMilliseconds(25);

    public bool IsUnsafe => unsafeForTests;

    /// <summary>True: a seat is now held for the caller (until its transaction rolls back).</summary>
    public async Task<bool> TryTakeAsync(Guid webinarId, CancellationToken ct)
    {
        if (unsafeForTests) return await TryTakeUnsafelyAsync(webinarId, ct);

        var rows = await db.Webinars
            .Where(w => w.Id == webinarId && (w.Capacity == null || w.SeatsTaken < w.Capacity))
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.SeatsTaken, w => w.SeatsTaken + 1), ct);
        return rows == 1;
    }

    public Task ReleaseAsync(Guid webinarId, CancellationToken ct) =>
        db.Webinars
            .Where(w => w.Id == webinarId && w.SeatsTaken > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.SeatsTaken, w => w.SeatsTaken - 1), ct);

    /// <summary>What a new registration would get now, without taking anything (for repeats; null: full, no waitlist).</summary>
    public async Task<RegistrationStatus?> WouldGetAsync(Guid webinarId, CancellationToken ct)
    {
        var w = await db.Webinars.AsNoTracking().Where(w => w.Id == webinarId)
            .Select(w => new { w.RequiresApproval, w.Capacity, w.SeatsTaken, w.Waitlist }).FirstAsync(ct);
        if (w.RequiresApproval) return RegistrationStatus.PendingApproval;
        if (w.Capacity is null || w.SeatsTaken < w.Capacity) return RegistrationStatus.Confirmed;
        return w.Waitlist ? RegistrationStatus.Waitlisted : null;
    }

    // The textbook mistake, kept only so the concurrency test can prove it would see an oversell: count, then write.
    private async Task<bool> TryTakeUnsafelyAsync(Guid webinarId, CancellationToken ct)
    {
        var capacity = await db.Webinars.Where(w => w.Id == webinarId).Select(w => w.Capacity).FirstAsync(ct);
        var confirmed = await db.Registrations.CountAsync(r => r.WebinarId == webinarId && r.Status == RegistrationStatus.Confirmed, ct);
        await Task.Delay(UnsafeGap, ct);
        if (capacity is not null && confirmed >= capacity) return false;
        await db.Webinars.Where(w => w.Id == webinarId).ExecuteUpdateAsync(s => s.SetProperty(w => w.SeatsTaken, w => w.SeatsTaken + 1), ct);
        return true;
    }
}
