using Microsoft.EntityFrameworkCore;
using Webinars.Data;
using Webinars.Payments;

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

    /// <summary>
    /// A seat of a ticket type: the webinar's counter and the type's move in the caller's transaction, always the
    /// webinar's row first (decision 0016). Null <paramref name="ticketTypeId"/>: the webinar's seat alone.
    /// </summary>
    Task<bool> TryTakeAsync(Guid webinarId, Guid? ticketTypeId, CancellationToken ct) =>
        ticketTypeId is null ? TryTakeAsync(webinarId, ct) : throw new NotSupportedException("This seat guard has no ticket types.");

    /// <summary>Gives back a seat taken with <see cref="TryTakeAsync(Guid, Guid?, CancellationToken)"/>, in the same order.</summary>
    Task ReleaseAsync(Guid webinarId, Guid? ticketTypeId, CancellationToken ct) =>
        ticketTypeId is null ? ReleaseAsync(webinarId, ct) : throw new NotSupportedException("This seat guard has no ticket types.");

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

    /// <remarks>
    /// The webinar's row is always locked first, then the type's: every path that moves a type's seat holds the webinar's
    /// lock while it does, so two transactions never wait on each other's type rows (no deadlock), and the webinar's
    /// capacity stays the overall guard. A type found full gives the webinar's seat straight back (the row is ours already).
    /// </remarks>
    public async Task<bool> TryTakeAsync(Guid webinarId, Guid? ticketTypeId, CancellationToken ct)
    {
        if (!await TryTakeAsync(webinarId, ct)) return false;
        if (ticketTypeId is not { } type) return true;
        var rows = await db.Set<TicketType>()
            .Where(t => t.Id == type && t.WebinarId == webinarId && t.SeatsTaken < t.Seats)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.SeatsTaken, t => t.SeatsTaken + 1), ct);
        if (rows == 1) return true;
        await Release(db, webinarId, ct);
        return false;
    }

    public async Task ReleaseAsync(Guid webinarId, Guid? ticketTypeId, CancellationToken ct)
    {
        await Release(db, webinarId, ct);
        if (ticketTypeId is not { } type) return;
        await db.Set<TicketType>()
            .Where(t => t.Id == type && t.SeatsTaken > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.SeatsTaken, t => t.SeatsTaken - 1), ct);
    }

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
