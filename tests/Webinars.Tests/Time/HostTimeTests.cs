using NodaTime;
using Webinars.Time;

namespace Webinars.Tests.Time;

/// <summary>Placing local starts in awkward zones: gaps are refused with the valid choices, overlaps need an offset.</summary>
public sealed class HostTimeTests
{
    private static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];

    private static LocalDateTime Local(string text) => NodaTime.Text.LocalDateTimePattern.ExtendedIso.Parse(text).GetValueOrThrow();

    [Theory]
    [InlineData("America/New_York", "2027-03-14T02:30:00", "2027-03-14T01:59", "2027-03-14T03:00", "EST → EDT")]
    [InlineData("Europe/Dublin", "2027-03-28T01:30:00", "2027-03-28T00:59", "2027-03-28T02:00", "GMT → IST")]
    [InlineData("Australia/Lord_Howe", "2027-10-03T02:15:00", "2027-10-03T01:59", "2027-10-03T02:30", "+1030 → +11")]
    [InlineData("Pacific/Chatham", "2027-09-26T03:00:00", "2027-09-26T02:44", "2027-09-26T03:45", "+1245 → +1345")]
    // Havana: tzdb 2026 changed Cuba's 2027 rules, so use 2025, where every tz database agrees.
    [InlineData("America/Havana", "2025-03-09T00:30:00", "2025-03-08T23:59", "2025-03-09T01:00", "CST → CDT")]
    [InlineData("America/Santiago", "2027-09-05T00:00:00", "2027-09-04T23:59", "2027-09-05T01:00", "-04 → -03")]
    [InlineData("Antarctica/Troll", "2027-03-28T02:00:00", "2027-03-28T00:59", "2027-03-28T03:00", "+00 → +02")]
    public void Resolve_LocalTimeInGap_IsRefusedWithTheMinuteBeforeAndTheTimeAfter(string zone, string local, string before, string after, string change)
    {
        var result = HostTime.Resolve(Local(local), Zone(zone), offset: null);

        Assert.Null(result.Start);
        Assert.Contains("does not exist", result.Problem);
        Assert.Contains(zone, result.Problem);
        Assert.Contains(change, result.Problem);
        Assert.Equal([before, after], result.Alternatives);
    }

    [Theory]
    [InlineData("America/New_York", "2027-11-07T01:30:00", "-04:00 (EDT)", "-05:00 (EST)")]
    [InlineData("Europe/Dublin", "2027-10-31T01:30:00", "+01:00 (IST)", "+00:00 (GMT)")]
    [InlineData("Australia/Lord_Howe", "2027-04-04T01:45:00", "+11:00 (+11)", "+10:30 (+1030)")]
    [InlineData("Pacific/Chatham", "2027-04-04T03:00:00", "+13:45 (+1345)", "+12:45 (+1245)")]
    [InlineData("America/Havana", "2025-11-02T00:30:00", "-04:00 (CDT)", "-05:00 (CST)")]
    [InlineData("America/Santiago", "2027-04-03T23:30:00", "-03:00 (-03)", "-04:00 (-04)")]
    [InlineData("Antarctica/Troll", "2027-10-31T01:30:00", "+02:00 (+02)", "+00:00 (+00)")]
    public void Resolve_LocalTimeInOverlapWithoutOffset_IsRefusedNamingBothOffsets(string zone, string local, string earlier, string later)
    {
        var result = HostTime.Resolve(Local(local), Zone(zone), offset: null);

        Assert.Null(result.Start);
        Assert.Contains("occurs twice", result.Problem);
        Assert.Contains("offset", result.Problem);
        Assert.Equal([earlier, later], result.Alternatives);
    }

    [Theory]
    [InlineData("America/New_York", "2027-11-07T01:30:00", "-04:00", "2027-11-07T05:30:00Z")]
    [InlineData("America/New_York", "2027-11-07T01:30:00", "-05:00", "2027-11-07T06:30:00Z")]
    [InlineData("Europe/Dublin", "2027-10-31T01:30:00", "+01:00", "2027-10-31T00:30:00Z")]
    [InlineData("Europe/Dublin", "2027-10-31T01:30:00", "+00:00", "2027-10-31T01:30:00Z")]
    [InlineData("Australia/Lord_Howe", "2027-04-04T01:45:00", "+10:30", "2027-04-03T15:15:00Z")]
    public void Resolve_OverlapWithOffset_PicksThatSide(string zone, string local, string offsetText, string expectedUtc)
    {
        Assert.True(HostTime.TryParseOffset(offsetText, out var offset));

        var result = HostTime.Resolve(Local(local), Zone(zone), offset);

        Assert.NotNull(result.Start);
        Assert.Equal(expectedUtc, result.Start!.Value.ToInstant().ToString());
    }

    [Fact]
    public void Resolve_OverlapWithOffsetOfNeitherSide_IsRefused()
    {
        Assert.True(HostTime.TryParseOffset("+03:00", out var offset));

        var result = HostTime.Resolve(Local("2027-11-07T01:30:00"), Zone("America/New_York"), offset);

        Assert.Null(result.Start);
        Assert.Contains("+03:00 is not one of them", result.Problem);
        Assert.Equal(2, result.Alternatives.Count);
    }

    [Theory]
    [InlineData("America/New_York", "2020-12-07T09:00:00", "2020-12-07T14:00:00Z")]
    [InlineData("Asia/Kathmandu", "2027-01-12T09:00:00", "2027-01-12T03:15:00Z")]
    [InlineData("Pacific/Chatham", "2027-01-12T09:00:00", "2027-01-11T19:15:00Z")]
    [InlineData("Australia/Lord_Howe", "2027-07-12T09:00:00", "2027-07-11T22:30:00Z")]
    public void Resolve_OrdinaryTime_GivesTheInstant(string zone, string local, string expectedUtc)
    {
        var result = HostTime.Resolve(Local(local), Zone(zone), offset: null);

        Assert.Equal(expectedUtc, result.Start!.Value.ToInstant().ToString());
    }

    [Fact]
    public void Resolve_OrdinaryTimeWithWrongOffset_IsRefusedNamingTheRightOne()
    {
        Assert.True(HostTime.TryParseOffset("-04:00", out var offset));

        var result = HostTime.Resolve(Local("2027-01-12T09:00:00"), Zone("America/New_York"), offset);

        Assert.Null(result.Start);
        Assert.Equal(["-05:00 (EST)"], result.Alternatives);
    }

    [Theory]
    [InlineData("-04:00", -4 * 3600)]
    [InlineData("+05:45", 5 * 3600 + 45 * 60)]
    [InlineData("Z", 0)]
    [InlineData("+0100", 3600)]
    public void TryParseOffset_CommonForms_Parse(string text, int seconds)
    {
        Assert.True(HostTime.TryParseOffset(text, out var offset));
        Assert.Equal(seconds, offset.Seconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("EST")]
    [InlineData("+25:00")]
    public void TryParseOffset_Nonsense_Fails(string text) => Assert.False(HostTime.TryParseOffset(text, out _));

    [Theory]
    [InlineData("America/New_York", true)]
    [InlineData("US/Eastern", true)]
    [InlineData("Mars/Olympus_Mons", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void FindZone_KnownAndUnknownIds(string? id, bool found) => Assert.Equal(found, HostTime.FindZone(id) is not null);

    [Fact]
    public void Rederive_StoredTimeNowInAGap_MovesForwardLikeTheClocks()
    {
        var start = Schedule.Rederive(Local("2027-03-14T02:30:00"), Zone("America/New_York"), Offset.FromHours(-5));

        Assert.Equal("2027-03-14T07:30:00Z", start.ToInstant().ToString());
    }

    [Fact]
    public void Rederive_OverlapKeepsTheOffsetChosenBefore()
    {
        var later = Schedule.Rederive(Local("2027-11-07T01:30:00"), Zone("America/New_York"), Offset.FromHours(-5));
        var earlier = Schedule.Rederive(Local("2027-11-07T01:30:00"), Zone("America/New_York"), Offset.FromHours(-4));

        Assert.Equal(Offset.FromHours(-5), later.Offset);
        Assert.Equal(Offset.FromHours(-4), earlier.Offset);
    }
}
