using NodaTime;
using NodaTime.Testing.TimeZones;
using Webinars.Time;

namespace Webinars.Tests.Time;

public class RecomputeTests
{
    private const string ZoneId = "Test/Island";
    private static readonly LocalDateTime LocalStart = new(2027, 6, 1, 10, 0);

    // Builds the "new tz database": the zone switches at the given instant from before to after (whole hours).
    private static IDateTimeZoneProvider ProviderWith(Instant change, int hoursBefore, int hoursAfter)
    {
        var builder = new MultiTransitionDateTimeZone.Builder(hoursBefore, "OLD") { Id = ZoneId };
        builder.Add(change, hoursAfter, 0, "NEW");
        var zone = builder.Build();
        return new FakeDateTimeZoneSource.Builder { zone }.Build().ToProvider();
    }

    [Fact]
    public void Start_ZoneUnchanged_NotMoved()
    {
        var stored = Instant.FromUtc(2020, 12, 7, 14, 0);

        var result = Recompute.Start(
            new LocalDateTime(2020, 12, 7, 9, 0), "America/New_York", Offset.FromHours(-5), stored, DateTimeZoneProviders.Tzdb);

        Assert.Equal(new RecomputedStart(stored, Offset.FromHours(-5), Moved: false), result);
    }

    [Fact]
    public void Start_ZoneChangedOffset_MovesToNewInstant()
    {
        // Stored when the island was at +02; the update says it moved to +03 in January 2027.
        var provider = ProviderWith(Instant.FromUtc(2027, 1, 1, 0, 0), 2, 3);

        var result = Recompute.Start(LocalStart, ZoneId, Offset.FromHours(2), Instant.FromUtc(2027, 6, 1, 8, 0), provider);

        Assert.True(result.Moved);
        Assert.Equal(Instant.FromUtc(2027, 6, 1, 7, 0), result.StartsAt);
        Assert.Equal(Offset.FromHours(3), result.Offset);
    }

    [Fact]
    public void Start_LocalTimeNowInGap_ShiftsForwardByTheGap()
    {
        // New rule: at 2027-06-01 09:00 local (07:00Z at +02) clocks jump to 11:00, swallowing 10:00.
        var provider = ProviderWith(Instant.FromUtc(2027, 6, 1, 7, 0), 2, 4);

        var result = Recompute.Start(LocalStart, ZoneId, Offset.FromHours(2), Instant.FromUtc(2027, 6, 1, 8, 0), provider);

        Assert.Equal(Instant.FromUtc(2027, 6, 1, 8, 0), result.StartsAt);
        Assert.Equal(new LocalDateTime(2027, 6, 1, 12, 0), result.StartsAt.InZone(provider[ZoneId]).LocalDateTime);
        Assert.False(result.Moved);
    }

    [Fact]
    public void Start_LocalTimeNowAmbiguousAndStoredOffsetValid_KeepsStoredOffset()
    {
        // New rule: at 11:00 local (+03, 08:00Z) clocks go back to 09:00 (+01): 10:00 happens at +03 and at +01.
        var provider = ProviderWith(Instant.FromUtc(2027, 6, 1, 8, 0), 3, 1);

        var result = Recompute.Start(LocalStart, ZoneId, Offset.FromHours(1), Instant.FromUtc(2027, 6, 1, 9, 0), provider);

        Assert.Equal(new RecomputedStart(Instant.FromUtc(2027, 6, 1, 9, 0), Offset.FromHours(1), Moved: false), result);
    }

    [Fact]
    public void Start_LocalTimeNowAmbiguousAndStoredOffsetGone_TakesEarlierOccurrence()
    {
        var provider = ProviderWith(Instant.FromUtc(2027, 6, 1, 8, 0), 3, 1);

        var result = Recompute.Start(LocalStart, ZoneId, Offset.FromHours(2), Instant.FromUtc(2027, 6, 1, 8, 0), provider);

        Assert.Equal(new RecomputedStart(Instant.FromUtc(2027, 6, 1, 7, 0), Offset.FromHours(3), Moved: true), result);
    }

    [Fact]
    public void Start_RealNewYorkOverlapStoredAsEst_StaysEst()
    {
        var stored = Instant.FromUtc(2027, 11, 7, 6, 30);

        var result = Recompute.Start(
            new LocalDateTime(2027, 11, 7, 1, 30), "America/New_York", Offset.FromHours(-5), stored, DateTimeZoneProviders.Tzdb);

        Assert.False(result.Moved);
        Assert.Equal(stored, result.StartsAt);
    }

    [Fact]
    public void Start_LinkIdStored_ResolvesLikeCanonical()
    {
        var stored = Instant.FromUtc(2020, 12, 7, 14, 0);

        var result = Recompute.Start(
            new LocalDateTime(2020, 12, 7, 9, 0), "US/Eastern", Offset.FromHours(-5), stored, DateTimeZoneProviders.Tzdb);

        Assert.False(result.Moved);
    }
}
