using Microsoft.EntityFrameworkCore;
using Webinars.Data;

namespace Webinars.Registrations;

/// <summary>Takes and gives back seats; <see cref="SeatGuard"/> is the one the app uses.</summary>
public interface ISeatGuard
{
    /// <summary>
    /// True when seats are guarded by the database inside the caller's transaction, so the service may use its
    /// transactions and PostgreSQL's one-statement registration. A test stand-in without that guarantee says false.
    /// </summary>
    bool GuardsInDatabase { get; }

    /// <summary>True: a seat is now held for the caller (until its transaction rolls back).</summary>
    Task<bool> TryTakeAsync(Guid webinarId, CancellationToken ct);

    Task ReleaseAsync(Guid webinarId, CancellationToken ct);

    /// <summary>What a new registration would get now, without taking anything (for repeats; null: full, no waitlist).</summary>
    Task<RegistrationStatus?> WouldGetAsync(Guid webinarId, CancellationToken ct);
}

/// <summary>
/// The only code that changes <c>Webinars.SeatsTaken</c>. A seat is taken by one conditional UPDATE of the webinar's
/// row — <c>SET SeatsTaken = SeatsTaken + 1 WHERE Id = @id AND (Capacity IS NULL OR SeatsTaken &lt; Capacity)</c> —
/// inside the caller's transaction: the database evaluates the condition and the increment atomically under the row's
/// write lock, so no interleaving of requests can take more seats than there are (docs/decisions/0003-seat-guard.md).
/// Scoped: it works on the request's own <see cref="WebinarsDbContext"/>, and so inside its transaction.
/// </summary>
internal sealed class SeatGuard(WebinarsDbContext db) : ISeatGuard
{
    public bool GuardsInDatabase => true;

    public async Task<bool> TryTakeAsync(Guid webinarId, CancellationToken ct)
    {
        var rows = await db.Webinars
            .Where(w => w.Id == webinarId && (w.Capacity == null || w.SeatsTaken < w.Capacity))
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.SeatsTaken, w => w.SeatsTaken + 1), ct);
        return rows == 1;
    }

    public Task ReleaseAsync(Guid webinarId, CancellationToken ct) => Release(db, webinarId, ct);

    public Task<RegistrationStatus?> WouldGetAsync(Guid webinarId, CancellationToken ct) => WouldGet(db, webinarId, ct);

    internal static Task Release(WebinarsDbContext db, Guid webinarId, CancellationToken ct) =>
        db.Webinars
            .Where(w => w.Id == webinarId && w.SeatsTaken > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.SeatsTaken, w => w.SeatsTaken - 1), ct);

    internal static async Task<RegistrationStatus?> WouldGet(WebinarsDbContext db, Guid webinarId, CancellationToken ct)
    {
        var w = await db.Webinars.AsNoTracking().Where(w => w.Id == webinarId)
            .Select(w => new { w.RequiresApproval, w.Capacity, w.SeatsTaken, w.Waitlist }).FirstAsync(ct);
        if (w.RequiresApproval) return RegistrationStatus.PendingApproval;
        if (w.Capacity is null || w.SeatsTaken < w.Capacity) return RegistrationStatus.Confirmed;
        return w.Waitlist ? RegistrationStatus.Waitlisted : null;
    }
}
