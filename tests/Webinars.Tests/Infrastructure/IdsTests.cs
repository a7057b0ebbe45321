using NodaTime;
using Webinars.Infrastructure;

namespace Webinars.Tests.Infrastructure;

/// <summary>Our UUIDv7s are what <see cref="Guid.CreateVersion7()"/> makes: version, variant, the time first, random after.</summary>
public sealed class IdsTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 12, 3, 9, 30, 15) + Duration.FromMilliseconds(123);

    [Fact]
    public void NewV7_CarriesVersionVariantAndMilliseconds_AsTheFrameworkLaysThemOut()
    {
        var ours = Ids.NewV7(At);
        var framework = Guid.CreateVersion7(At.ToDateTimeOffset());

        Assert.Equal(7, ours.Version);
        Assert.Equal(framework.Version, ours.Version);
        Assert.Equal(0b10, ours.Variant >> 2); // RFC 9562's variant: the nibble's top two bits (its other two are random)
        Assert.Equal(framework.Variant >> 2, ours.Variant >> 2);
        Assert.Equal(framework.ToString()[..13], ours.ToString()[..13]); // the 48 bits of milliseconds, in text order
        Assert.Equal(At.ToUnixTimeMilliseconds(), Milliseconds(ours));
    }

    [Fact]
    public void NewV7_LaterMilliseconds_SortLater_InTextAndInPostgresByteOrder()
    {
        var ids = Enumerable.Range(0, 100).Select(i => Ids.NewV7(At + Duration.FromMilliseconds(i))).ToList();

        Assert.Equal(ids, ids.OrderBy(id => id.ToString(), StringComparer.Ordinal));
        Assert.Equal(ids, ids.OrderBy(id => Convert.ToHexString(id.ToByteArray(bigEndian: true)), StringComparer.Ordinal));
    }

    [Fact]
    public void NewV7_ManyInOneMillisecond_OnManyThreads_AreDistinctAndRandomAfterTheTime()
    {
        // Past the per-thread pool's 4 KiB (10 random bytes an id) several times over, on threads of their own.
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 5_000; i++) ids.Add(Ids.NewV7(At));
        });

        Assert.Equal(40_000, ids.Distinct().Count());
        // The random bits are spread: each of the 16 values of the last hex digit turns up about equally.
        var lastDigits = ids.GroupBy(id => id.ToString()[^1]).Select(g => g.Count()).ToList();
        Assert.Equal(16, lastDigits.Count);
        Assert.All(lastDigits, n => Assert.InRange(n, 2_000, 3_000));
    }

    [Fact]
    public void NewV7_Now_IsWithinAMillisecondOfTheClock()
    {
        var before = SystemClock.Instance.GetCurrentInstant().ToUnixTimeMilliseconds();
        var id = Ids.NewV7();
        var after = SystemClock.Instance.GetCurrentInstant().ToUnixTimeMilliseconds();

        Assert.InRange(Milliseconds(id), before, after);
    }

    /// <summary>The id's first 48 bits, as RFC 9562 reads them: milliseconds since the Unix epoch.</summary>
    private static long Milliseconds(Guid id) => (long)Convert.ToUInt64(Convert.ToHexString(id.ToByteArray(bigEndian: true), 0, 6), 16);
}
