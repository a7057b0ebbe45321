using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;

namespace Webinars.LiveQa;

/// <summary>
/// Per-attendee limits on the hub (3 questions and 60 votes a minute, sliding), answered with a <see cref="HubException"/>
/// so the connection stays. Per instance: behind a proxy that keeps a client on one instance that is per attendee.
/// <c>RateLimiting:Enabled=false</c> turns them off.
/// </summary>
public sealed class QaLimits(IConfiguration configuration, QaConnections connections) : IHubFilter, IDisposable
{
    public const int QuestionsPerMinute = 3;
    public const int VotesPerMinute = 60;

    private readonly bool _enabled = configuration.GetValue("RateLimiting:Enabled", true);
    private readonly PartitionedRateLimiter<Guid> _asks = PerMinute(QuestionsPerMinute);
    private readonly PartitionedRateLimiter<Guid> _votes = PerMinute(VotesPerMinute);

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (_enabled && connections.Find(invocationContext.Context)?.RegistrationId is { } registration)
        {
            var (limiter, refusal) = invocationContext.HubMethodName switch
            {
                nameof(QaHub.Ask) => (_asks, $"You can ask at most {QuestionsPerMinute} questions a minute; please wait a little."),
                nameof(QaHub.Upvote) or nameof(QaHub.RemoveVote) => (_votes, $"You can vote at most {VotesPerMinute} times a minute; please wait a little."),
                _ => (null, ""),
            };
            if (limiter is not null)
            {
                using var lease = limiter.AttemptAcquire(registration);
                if (!lease.IsAcquired) throw new HubException(refusal);
            }
        }

        return await next(invocationContext);
    }

    public void Dispose()
    {
        _asks.Dispose();
        _votes.Dispose();
    }

    private static PartitionedRateLimiter<Guid> PerMinute(int permits) =>
        PartitionedRateLimiter.Create<Guid, Guid>(id => RateLimitPartition.GetSlidingWindowLimiter(id, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
        }));
}
