using Webinars.Caching;

namespace Webinars.Tests.Caching;

/// <summary>The repeats are ticked by hand here (an infinite period), so nothing depends on the machine's speed.</summary>
public sealed class EvictionRepeatsTests : IDisposable
{
    private readonly List<string> _repeated = [];
    private readonly EvictionRepeats _repeats;

    public EvictionRepeatsTests() => _repeats = new(tag =>
    {
        _repeated.Add(tag);
        return ValueTask.CompletedTask;
    }, Timeout.InfiniteTimeSpan);

    public void Dispose() => _repeats.Dispose();

    [Fact]
    public async Task Evicted_ManyTimesForOneTag_RepeatedOnce()
    {
        for (var i = 0; i < 1000; i++) _repeats.Evicted(["webinar:1", "listings"]);

        await _repeats.TickAsync();
        await _repeats.TickAsync();
        await _repeats.TickAsync();

        Assert.Equal("listings webinar:1", string.Join(' ', _repeated.Order()));
        Assert.Equal(0, _repeats.Waiting);
    }

    [Fact]
    public async Task Evicted_Once_RepeatedAtTheFirstTick()
    {
        _repeats.Evicted(["webinar:1"]);

        await _repeats.TickAsync();

        Assert.Equal("webinar:1", Assert.Single(_repeated));
    }

    [Fact]
    public async Task Evicted_AgainBeforeTheTick_RepeatWaitsAWholePeriodAfterTheLast()
    {
        _repeats.Evicted(["webinar:1"]);
        _repeats.Evicted(["webinar:2"]);

        _repeats.Evicted(["webinar:1"]);
        await _repeats.TickAsync();
        var atFirstTick = _repeated.ToList();
        await _repeats.TickAsync();

        Assert.Empty(atFirstTick);
        Assert.Equal("webinar:1 webinar:2", string.Join(' ', _repeated.Order()));
    }
}
