using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;
using Webinars.Time;

namespace Webinars.Webinars;

/// <summary>
/// At start-up, re-derives every future webinar's instant from its local start and host zone with the time-zone
/// database this build carries. A webinar whose instant moved gets SEQUENCE+1 and its registrants are told.
/// </summary>
public sealed class ScheduleRecomputation(IServiceScopeFactory scopes, IClock clock, ILogger<ScheduleRecomputation> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var moved = await RecomputeAsync(stoppingToken);
            logger.LogInformation("Time-zone database {Version}: {Moved} upcoming webinar(s) moved", DateTimeZoneProviders.Tzdb.VersionId, moved);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Recomputing webinar instants failed; it runs again at the next start");
        }
    }

    public async Task<int> RecomputeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        var service = scope.ServiceProvider.GetRequiredService<WebinarService>();
        var now = clock.GetCurrentInstant();
        var upcoming = await db.Webinars.Where(w => w.EndsAt >= now && w.Status != WebinarStatus.Cancelled).ToListAsync(ct);
        var moved = 0;
        foreach (var webinar in upcoming)
        {
            if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(webinar.HostZoneId) is null)
            {
                logger.LogError("Webinar {Slug} has host zone {Zone}, which this time-zone database no longer knows", webinar.Slug, webinar.HostZoneId);
                continue;
            }

            var start = Recompute.Start(webinar.LocalStart, webinar.HostZoneId, webinar.StartOffset, webinar.StartsAt, DateTimeZoneProviders.Tzdb);
            if (!start.Moved) continue;

            var (previousStart, previousEnd) = (webinar.StartsAt, webinar.EndsAt);
            webinar.StartOffset = start.Offset;
            webinar.StartsAt = start.StartsAt;
            webinar.EndsAt = webinar.StartsAt + webinar.Length;
            await service.RescheduledAsync(webinar, previousStart, previousEnd, ct);
            logger.LogWarning("Webinar {Slug} moved from {Previous} to {Current} with the new time-zone database (sequence {Sequence})",
                webinar.Slug, previousStart, webinar.StartsAt, webinar.Sequence);
            moved++;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance recomputed the same webinars first; its change (and its notices) stand.
            return 0;
        }

        return moved;
    }
}
