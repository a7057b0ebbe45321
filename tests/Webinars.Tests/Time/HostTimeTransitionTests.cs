using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;
using Webinars.Time;

namespace Webinars.Tests.Time;

/// <summary>Every DST transition of 2024–2027 in the awkward zones, found from tzdb itself.</summary>
public class HostTimeTransitionTests
{
    [Theory]
    [InlineData("America/New_York", 8)]
    [InlineData("Europe/Dublin", 8)]
    [InlineData("Australia/Lord_Howe", 8)]
    [InlineData("Pacific/Chatham", 8)]
    [InlineData("America/Havana", 6)] // tzdb 2026f: no change between March 2026 and November 2027
    [InlineData("America/Santiago", 8)]
    [InlineData("Antarctica/Troll", 8)]
    public void Resolve_EveryTransition2024To2027_GapsAndOverlapsAreNeverGuessed(string id, int expectedTransitions)
    {
        var zone = Zones.Get(id);
        var transitions = Zones.Transitions(zone, 2024, 2028);
        Assert.Equal(expectedTransitions, transitions.Count);

        foreach (var (before, after) in transitions)
        {
            var jump = after.WallOffset - before.WallOffset;
            var clockAtTransition = after.Start.WithOffset(before.WallOffset).LocalDateTime;
            if (jump > Offset.Zero)
            {
                AssertGap(zone, before, after, clockAtTransition, jump);
            }
            else
            {
                AssertOverlap(zone, before, after, clockAtTransition, jump);
            }
        }
    }

    [Theory]
    [InlineData("Asia/Kathmandu")]
    [InlineData("Asia/Tokyo")]
    [InlineData("Asia/Kolkata")]
    public void Resolve_ZoneWithoutDst_EveryHalfHourOf2027Resolves(string id)
    {
        var zone = Zones.Get(id);
        for (var local = new LocalDateTime(2027, 1, 1, 0, 0); local.Year == 2027; local = local.PlusMinutes(30))
        {
            Assert.True(HostTime.Resolve(local, zone, null).IsResolved, $"{local} in {id}");
        }
    }

    private static void AssertGap(DateTimeZone zone, ZoneInterval before, ZoneInterval after, LocalDateTime gapStart, Offset jump)
    {
        var inside = gapStart.PlusSeconds(jump.Seconds / 2);

        var result = HostTime.Resolve(inside, zone, null);

        Assert.False(result.IsResolved, $"{inside} in {zone.Id} should be a gap");
        Assert.Contains($"does not exist in {zone.Id}", result.Problem, StringComparison.Ordinal);
        Assert.Contains($"({before.Name} → {after.Name})", result.Problem, StringComparison.Ordinal);
        Assert.Equal(
            [TimeFormats.Local(gapStart.PlusMinutes(-1)), TimeFormats.Local(gapStart.PlusSeconds(jump.Seconds))],
            result.Alternatives);
        foreach (var alternative in result.Alternatives)
        {
            var local = LocalDateTimePattern.GeneralIso.Parse(alternative + ":00").Value;
            Assert.True(HostTime.Resolve(local, zone, null).IsResolved, $"alternative {alternative} must be valid");
        }
    }

    private static void AssertOverlap(DateTimeZone zone, ZoneInterval before, ZoneInterval after, LocalDateTime backFrom, Offset jump)
    {
        var inside = backFrom.PlusSeconds(jump.Seconds / 2);

        var ambiguous = HostTime.Resolve(inside, zone, null);
        var first = HostTime.Resolve(inside, zone, before.WallOffset);
        var second = HostTime.Resolve(inside, zone, after.WallOffset);

        Assert.False(ambiguous.IsResolved, $"{inside} in {zone.Id} should be ambiguous");
        Assert.Equal(
            [$"{TimeFormats.Offset(before.WallOffset)} ({before.Name})", $"{TimeFormats.Offset(after.WallOffset)} ({after.Name})"],
            ambiguous.Alternatives);
        Assert.Equal(inside, first.Start!.Value.LocalDateTime);
        Assert.Equal(inside, second.Start!.Value.LocalDateTime);
        Assert.Equal(-jump.ToTimeSpan(), (second.Start.Value.ToInstant() - first.Start.Value.ToInstant()).ToTimeSpan());
    }
}
