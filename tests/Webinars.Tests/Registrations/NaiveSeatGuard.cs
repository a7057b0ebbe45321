using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Webinars.Data;
using Webinars.Registrations;

namespace Webinars.Tests.Registrations;

/// <summary>
/// The textbook mistake — count, then write, outside any transaction — kept here only so the concurrency test can
/// prove it would see an oversell that the real guard prevents.
/// </summary>
internal sealed class NaiveSeatGuard(WebinarsDbContext db) : ISeatGuard
{
    /// <summary>How long it waits between its count and its write, to make the race visible.</summary>
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(25);

    public bool GuardsInDatabase => false;

    public static void Use(IWebHostBuilder builder) => builder.ConfigureServices(s =>
    {
        s.RemoveAll<ISeatGuard>();
        s.AddScoped<ISeatGuard, NaiveSeatGuard>();
    });

    public async Task<bool> TryTakeAsync(Guid webinarId, CancellationToken ct)
    {
        var capacity = await db.Webinars.Where(w => w.Id == webinarId).Select(w => w.Capacity).FirstAsync(ct);
        var confirmed = await db.Registrations.CountAsync(r => r.WebinarId == webinarId && r.Status == RegistrationStatus.Confirmed, ct);
        await Task.Delay(Gap, ct);
        if (capacity is not null && confirmed >= capacity) return false;
        await db.Webinars.Where(w => w.Id == webinarId).ExecuteUpdateAsync(s => s.SetProperty(w => w.SeatsTaken, w => w.SeatsTaken + 1), ct);
        return true;
    }

    public Task ReleaseAsync(Guid webinarId, CancellationToken ct) => SeatGuard.Release(db, webinarId, ct);

    public Task<RegistrationStatus?> WouldGetAsync(Guid webinarId, CancellationToken ct) => SeatGuard.WouldGet(db, webinarId, ct);
}
