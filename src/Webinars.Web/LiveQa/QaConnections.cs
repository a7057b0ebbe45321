using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Webinars.Data;
using Webinars.Registrations;

namespace Webinars.LiveQa;

/// <summary>
/// This instance's joined connections and who each one is (<see cref="QaCaller"/>): hub methods find their caller here,
/// the sweep ends those of a cancelled registration and counts attendance, and a backplane outage ends them all. One
/// entry per connection, kept here rather than in each connection's <c>Items</c> (a dictionary of its own per
/// connection, for one value: see docs/decisions/0018).
/// </summary>
public sealed class QaConnections
{
    private readonly ConcurrentDictionary<string, (HubCallerContext Context, QaCaller Caller)> _joined = new();

    /// <summary>The caller set by Join; a method called before Join is refused.</summary>
    public QaCaller Of(HubCallerContext context) =>
        Find(context) ?? throw new HubException("Join a webinar first.");

    public QaCaller? Find(HubCallerContext context) => _joined.TryGetValue(context.ConnectionId, out var joined) ? joined.Caller : null;

    /// <summary>A connection joined (or joined again, maybe as someone else): attendee, moderator or presenter screen.</summary>
    public void Joined(HubCallerContext context, QaCaller caller) => _joined[context.ConnectionId] = (context, caller);

    public void Forget(string connectionId) => _joined.TryRemove(connectionId, out _);

    /// <summary>
    /// Ends every joined connection of this instance. Called when the Redis backplane is back after an outage: messages
    /// sent meanwhile were lost, so each client reconnects and takes the snapshot whole (the pages re-Join on reconnect).
    /// </summary>
    public int EndAll()
    {
        var ended = 0;
        foreach (var id in _joined.Keys)
        {
            if (!_joined.TryRemove(id, out var joined)) continue;
            joined.Context.Abort();
            ended++;
        }

        return ended;
    }

    /// <summary>The attendees' connections (swept and counted as present); moderators and presenter screens are not.</summary>
    public IReadOnlyList<(HubCallerContext Context, QaCaller Caller)> All => [.. _joined.Values.Where(j => j.Caller.RegistrationId is not null)];
}

/// <summary>
/// Every few seconds (Qa:SweepSeconds) each instance checks its own attendee connections: a registration no longer
/// Confirmed (cancelled, refunded) has its connections closed, so they stop receiving; the others count as present.
/// Checking in the database rather than on a cancel event keeps it right whichever instance the cancel ran on.
/// </summary>
public sealed class QaSweeper(QaConnections connections, IServiceScopeFactory scopes, IOptions<QaOptions> options, ILogger<QaSweeper> logger)
    : BackgroundService
{
    private const int Chunk = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Q&A connection sweep failed; trying again on the next tick");
            }
        }
    }

    public async Task SweepAsync(CancellationToken ct)
    {
        var open = connections.All;
        if (open.Count == 0) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        var ended = new HashSet<Guid>();
        foreach (var chunk in open.Select(c => c.Caller.RegistrationId!.Value).Distinct().Chunk(Chunk))
        {
            ended.UnionWith(await db.Registrations.Where(r => chunk.Contains(r.Id) && r.Status != RegistrationStatus.Confirmed).Select(r => r.Id).ToListAsync(ct));
        }

        foreach (var (context, caller) in open.Where(c => ended.Contains(c.Caller.RegistrationId!.Value)))
        {
            logger.LogInformation("Closing Q&A connection of registration {Registration}: no longer confirmed", caller.RegistrationId);
            connections.Forget(context.ConnectionId);
            context.Abort();
        }

        var present = open.Where(c => !ended.Contains(c.Caller.RegistrationId!.Value)).Select(c => (c.Caller.WebinarId, c.Caller.RegistrationId!.Value)).Distinct();
        await scope.ServiceProvider.GetRequiredService<AttendanceService>().HeartbeatAsync([.. present], ct);
    }
}
