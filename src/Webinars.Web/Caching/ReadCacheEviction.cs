using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using StackExchange.Redis;

namespace Webinars.Caching;

/// <summary>
/// Evicts kept reads by tag on this instance and, when <c>ConnectionStrings:Redis</c> is set, on every other instance
/// through a Redis channel (each instance subscribes at start). Without Redis other instances' copies live at most
/// <c>ReadCache:Seconds</c>.
/// </summary>
public sealed class ReadCacheEviction(IOutputCacheStore store, IConfiguration configuration, ILogger<ReadCacheEviction> logger) : IHostedService, IAsyncDisposable
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("webinars:read-cache");
    /// <summary>
    /// A read that loaded the old state just before the commit may be kept just after the eviction: each tag's eviction
    /// is repeated at least this much after its last one, which bounds that race. (Refusing to keep what was rendered
    /// across any eviction made every reader render during a trickle of registrations.)
    /// </summary>
    public static readonly TimeSpan Repeat = TimeSpan.FromSeconds(1);

    private readonly EvictionRepeats _repeats = new(tag => store.EvictByTagAsync(tag, CancellationToken.None), Repeat);
    private ConnectionMultiplexer? _redis;

    public async Task EvictAsync(IReadOnlyCollection<string> tags)
    {
        if (tags.Count == 0) return;
        await EvictHereAsync(tags);
        if (_redis is null) return;
        try
        {
            await _redis.GetSubscriber().PublishAsync(Channel, string.Join(' ', tags));
        }
        catch (RedisException e)
        {
            // The change is saved; the other instances' copies expire after ReadCache:Seconds.
            logger.LogWarning(e, "Could not tell the other instances to evict {Tags}", string.Join(' ', tags));
        }
    }

    /// <summary>Evicts for the app that <paramref name="db"/> belongs to (for statements run past EF Core's save).</summary>
    public static Task EvictFor(DbContext db, IReadOnlyCollection<string> tags) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<ReadCacheEviction>()
            ?.EvictAsync(tags) ?? Task.CompletedTask;

    private async ValueTask EvictHereAsync(IReadOnlyCollection<string> tags)
    {
        foreach (var tag in tags) await store.EvictByTagAsync(tag, CancellationToken.None);
        _repeats.Evicted(tags);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetConnectionString("Redis") is not { Length: > 0 } connection) return;
        var redisOptions = ConfigurationOptions.Parse(connection);
        redisOptions.AbortOnConnectFail = false; // start anyway; the subscription is made once Redis answers
        _redis = await ConnectionMultiplexer.ConnectAsync(redisOptions);
        await _redis.GetSubscriber().SubscribeAsync(Channel, (channel, message) =>
        {
            var tags = message.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            _ = EvictHereAsync(tags).AsTask();
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _repeats.Dispose();
        if (_redis is not null) await _redis.DisposeAsync();
    }
}
