using NodaTime;
using Webinars.Time;

namespace Webinars.Tests.Time;

public class HostTimeResolveTests
{
    private static StartResolution Resolve(string zone, int y, int mo, int d, int h, int mi, string? offset = null)
    {
        Offset? parsed = null;
        if (offset is not null)
        {
            Assert.True(HostTime.TryParseOffset(offset, out var value));
            parsed = value;
        }

        return HostTime.Resolve(new LocalDateTime(y, mo, d, h, mi), Zones.Get(zone), parsed);
    }

    [Fact]
    public void Resolve_SeedNewYorkWinterMorning_Is1400Utc()
    {
        var result = Resolve("America/New_York", 2020, 12, 7, 9, 0);

        Assert.True(result.IsResolved);
        Assert.Equal(Instant.FromUtc(2020, 12, 7, 14, 0), result.Start!.Value.ToInstant());
        Assert.Null(result.Problem);
        Assert.Empty(result.Alternatives);
    }

    [Fact]
    public void Resolve_NormalTimeWithMatchingOffset_Resolves()
    {
        var result = Resolve("America/New_York", 2020, 12, 7, 9, 0, "-05:00");

        Assert.Equal(Instant.FromUtc(2020, 12, 7, 14, 0), result.Start!.Value.ToInstant());
    }

    [Fact]
    public void Resolve_NormalTimeWithWrongOffset_NamesTheValidOffset()
    {
        var result = Resolve("Asia/Kathmandu", 2027, 3, 14, 2, 30, "+05:30");

        Assert.Null(result.Start);
        Assert.Equal("2027-03-14T02:30 in Asia/Kathmandu has offset +05:45 (+0545), not +05:30.", result.Problem);
        Assert.Equal(["+05:45 (+0545)"], result.Alternatives);
    }

    [Fact]
    public void Resolve_NewYorkSpringGap_ExplainsJumpAndOffersBothSides()
    {
        var result = Resolve("America/New_York", 2027, 3, 14, 2, 30);

        Assert.Null(result.Start);
        Assert.Equal(
            "2027-03-14T02:30 does not exist in America/New_York: clocks jump from 02:00 to 03:00 (EST → EDT).",
            result.Problem);
        Assert.Equal(["2027-03-14T01:59", "2027-03-14T03:00"], result.Alternatives);
    }

    [Fact]
    public void Resolve_NewYorkGapEvenWithOffset_StillRejected()
    {
        var result = Resolve("America/New_York", 2027, 3, 14, 2, 30, "-05:00");

        Assert.False(result.IsResolved);
        Assert.Equal(["2027-03-14T01:59", "2027-03-14T03:00"], result.Alternatives);
    }

    [Fact]
    public void Resolve_NewYorkAutumnOverlapWithoutOffset_AsksForOffset()
    {
        var result = Resolve("America/New_York", 2027, 11, 7, 1, 30);

        Assert.Null(result.Start);
        Assert.StartsWith("2027-11-07T01:30 occurs twice in America/New_York", result.Problem, StringComparison.Ordinal);
        Assert.Contains("send \"offset\" to choose", result.Problem, StringComparison.Ordinal);
        Assert.Equal(["-04:00 (EDT)", "-05:00 (EST)"], result.Alternatives);
    }

    [Theory]
    [InlineData("-04:00", "2027-11-07T05:30:00Z")]
    [InlineData("-05:00", "2027-11-07T06:30:00Z")]
    public void Resolve_NewYorkOverlapWithOffset_PicksThatOccurrence(string offset, string expectedUtc)
    {
        var result = Resolve("America/New_York", 2027, 11, 7, 1, 30, offset);

        Assert.Equal(expectedUtc, result.Start!.Value.ToInstant().ToString());
    }

    [Fact]
    public void Resolve_OverlapWithForeignOffset_ListsBothValidOffsets()
    {
        var result = Resolve("America/New_York", 2027, 11, 7, 1, 30, "-06:00");

        Assert.Null(result.Start);
        Assert.Contains("never at -06:00", result.Problem, StringComparison.Ordinal);
        Assert.Equal(["-04:00 (EDT)", "-05:00 (EST)"], result.Alternatives);
    }

    [Fact]
    public void Resolve_DublinAutumnOverlap_OffersIstThenGmt()
    {
        // tzdb models Irish time with negative DST: IST is "standard", winter GMT the "saving" side.
        var result = Resolve("Europe/Dublin", 2027, 10, 31, 1, 30);

        Assert.Equal(
            "2027-10-31T01:30 occurs twice in Europe/Dublin: clocks go back from 02:00 to 01:00 (IST → GMT); " +
            "send \"offset\" to choose +01:00 (IST) or +00:00 (GMT).",
            result.Problem);
        Assert.Equal(["+01:00 (IST)", "+00:00 (GMT)"], result.Alternatives);
    }

    [Fact]
    public void Resolve_DublinOverlapWithZuluOffset_PicksGmt()
    {
        var result = Resolve("Europe/Dublin", 2027, 10, 31, 1, 30, "Z");

        Assert.Equal(Instant.FromUtc(2027, 10, 31, 1, 30), result.Start!.Value.ToInstant());
        Assert.Equal("GMT", result.Start.Value.GetZoneInterval().Name);
    }

    [Fact]
    public void Resolve_DublinSpringGap_GmtToIst()
    {
        var result = Resolve("Europe/Dublin", 2027, 3, 28, 1, 30);

        Assert.Equal("2027-03-28T01:30 does not exist in Europe/Dublin: clocks jump from 01:00 to 02:00 (GMT → IST).", result.Problem);
        Assert.Equal(["2027-03-28T00:59", "2027-03-28T02:00"], result.Alternatives);
    }

    // Havana uses 2025: NodaTime's tzdb 2026f keeps Cuba on CDT from March 2026 to November 2027.
    [Fact]
    public void Resolve_HavanaMidnightGap_LastMinuteIsPreviousDay()
    {
        var result = Resolve("America/Havana", 2025, 3, 9, 0, 30);

        Assert.Equal("2025-03-09T00:30 does not exist in America/Havana: clocks jump from 00:00 to 01:00 (CST → CDT).", result.Problem);
        Assert.Equal(["2025-03-08T23:59", "2025-03-09T01:00"], result.Alternatives);
    }

    [Fact]
    public void Resolve_HavanaMidnightOverlap_OffersCdtThenCst()
    {
        var result = Resolve("America/Havana", 2025, 11, 2, 0, 15);

        Assert.Equal(["-04:00 (CDT)", "-05:00 (CST)"], result.Alternatives);
    }

    [Fact]
    public void Resolve_SantiagoGapAtMidnight_JumpsToOne()
    {
        var result = Resolve("America/Santiago", 2027, 9, 5, 0, 30);

        Assert.Equal("2027-09-05T00:30 does not exist in America/Santiago: clocks jump from 00:00 to 01:00 (-04 → -03).", result.Problem);
        Assert.Equal(["2027-09-04T23:59", "2027-09-05T01:00"], result.Alternatives);
    }

    [Fact]
    public void Resolve_SantiagoOverlapBeforeMidnight_ClocksGoBackFromMidnight()
    {
        var result = Resolve("America/Santiago", 2027, 4, 3, 23, 30);

        Assert.StartsWith(
            "2027-04-03T23:30 occurs twice in America/Santiago: clocks go back from 2027-04-04T00:00 to 23:00 (-03 → -04)",
            result.Problem,
            StringComparison.Ordinal);
        Assert.Equal(["-03:00 (-03)", "-04:00 (-04)"], result.Alternatives);
    }

    [Fact]
    public void Resolve_LordHoweHalfHourGap_OffersBothSides()
    {
        var result = Resolve("Australia/Lord_Howe", 2027, 10, 3, 2, 15);

        Assert.Equal("2027-10-03T02:15 does not exist in Australia/Lord_Howe: clocks jump from 02:00 to 02:30 (+1030 → +11).", result.Problem);
        Assert.Equal(["2027-10-03T01:59", "2027-10-03T02:30"], result.Alternatives);
    }

    [Fact]
    public void Resolve_LordHoweHalfHourOverlapWithOffset_Resolves()
    {
        var ambiguous = Resolve("Australia/Lord_Howe", 2027, 4, 4, 1, 45);
        var chosen = Resolve("Australia/Lord_Howe", 2027, 4, 4, 1, 45, "+10:30");

        Assert.Equal(["+11:00 (+11)", "+10:30 (+1030)"], ambiguous.Alternatives);
        Assert.Equal(Instant.FromUtc(2027, 4, 3, 15, 15), chosen.Start!.Value.ToInstant());
    }

    [Fact]
    public void Resolve_ChathamGap_QuarterHourBoundaries()
    {
        var result = Resolve("Pacific/Chatham", 2027, 9, 26, 3, 0);

        Assert.Equal("2027-09-26T03:00 does not exist in Pacific/Chatham: clocks jump from 02:45 to 03:45 (+1245 → +1345).", result.Problem);
        Assert.Equal(["2027-09-26T02:44", "2027-09-26T03:45"], result.Alternatives);
    }

    [Fact]
    public void Resolve_ChathamOverlap_OffersQuarterHourOffsets()
    {
        var result = Resolve("Pacific/Chatham", 2027, 4, 4, 3, 0);

        Assert.Equal(["+13:45 (+1345)", "+12:45 (+1245)"], result.Alternatives);
    }

    [Fact]
    public void Resolve_TrollTwoHourGap_OffersBothSides()
    {
        var result = Resolve("Antarctica/Troll", 2027, 3, 28, 2, 0);

        Assert.Equal("2027-03-28T02:00 does not exist in Antarctica/Troll: clocks jump from 01:00 to 03:00 (+00 → +02).", result.Problem);
        Assert.Equal(["2027-03-28T00:59", "2027-03-28T03:00"], result.Alternatives);
    }

    [Fact]
    public void Resolve_TrollTwoHourOverlapWithOffset_PicksPlusTwo()
    {
        var result = Resolve("Antarctica/Troll", 2027, 10, 31, 2, 0, "+02:00");

        Assert.Equal(Instant.FromUtc(2027, 10, 31, 0, 0), result.Start!.Value.ToInstant());
    }

    [Fact]
    public void Resolve_KathmanduAnyTime_ResolvesAtPlus0545()
    {
        var result = Resolve("Asia/Kathmandu", 2027, 3, 14, 2, 30);

        Assert.Equal(Offset.FromHoursAndMinutes(5, 45), result.Start!.Value.Offset);
    }
}
