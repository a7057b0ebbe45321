using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Webinars.Time;

namespace Webinars.Tests.Time;

/// <summary>
/// Checks NodaTime's embedded tzdb (and our use of it) against the machine's tzdata via <c>/bin/date</c>,
/// around every transition of 2024–2027, where both databases agree on the rules.
/// Cuba is only compared for 2024–2025: NodaTime 3.3.7 embeds tzdb 2026f, which keeps Havana on CDT from
/// March 2026 to November 2027, while older system tzdata (e.g. 2025b) still has the usual switches.
/// </summary>
public class TzdbOracleTests
{
    private static readonly OffsetPattern DateOffset = OffsetPattern.CreateWithInvariantCulture("+HHmm");
    private static readonly LocalDateTimePattern DateInput = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd HH':'mm");

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Europe/Dublin")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("Pacific/Chatham")]
    [InlineData("America/Havana", 2026)]
    [InlineData("Asia/Kathmandu")]
    [InlineData("America/Santiago")]
    [InlineData("Antarctica/Troll")]
    [InlineData("Europe/Paris")]
    [InlineData("Asia/Tokyo")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Australia/Sydney")]
    public void OffsetAndAbbreviation_AroundTransitions2024To2027_MatchSystemDate(string id, int untilYear = 2028)
    {
        SystemDate.AssertAvailable(id);
        var zone = Zones.Get(id);
        var instants = SampleInstants(zone, untilYear);

        var answers = SystemDate.Many(id, instants.Select(i => $"@{i.ToUnixTimeSeconds()}").ToList(), "+%z %Z");

        var ours = instants.Select(i => Describe(i, zone)).ToList();
        var mismatches = ours.Zip(answers)
            .Select((pair, index) => (pair.First, pair.Second, Instant: instants[index]))
            .Where(x => x.First != x.Second)
            .Select(x => $"{x.Instant}: NodaTime '{x.First}' vs date '{x.Second}'")
            .ToList();
        Assert.True(mismatches.Count == 0, $"{id} (NodaTime tzdb {DateTimeZoneProviders.Tzdb.VersionId}):\n{string.Join('\n', mismatches)}");
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Europe/Dublin")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("Pacific/Chatham")]
    [InlineData("America/Havana", 2026)]
    [InlineData("Asia/Kathmandu")]
    [InlineData("America/Santiago")]
    [InlineData("Antarctica/Troll")]
    [InlineData("Europe/Paris")]
    [InlineData("Australia/Sydney")]
    public void Resolve_UnambiguousLocalTimesNearTransitions_MatchSystemDate(string id, int untilYear = 2028)
    {
        SystemDate.AssertAvailable(id);
        var zone = Zones.Get(id);
        var locals = SampleInstants(zone, untilYear)
            .Select(i => i.InZone(zone).LocalDateTime)
            .Select(l => l.PlusSeconds(-l.Second)) // whole minutes, as hosts type them
            .SelectMany(l => new[] { l, l.PlusMinutes(-50), l.PlusMinutes(50) })
            .Where(l => zone.MapLocal(l).Count == 1)
            .Distinct()
            .ToList();

        var answers = SystemDate.Many("UTC", locals.Select(l => $"TZ=\"{id}\" {DateInput.Format(l)}").ToList(), "+%s");

        for (var i = 0; i < locals.Count; i++)
        {
            var ours = HostTime.Resolve(locals[i], zone, null).Start!.Value.ToInstant().ToUnixTimeSeconds();
            Assert.True(
                ours.ToString(CultureInfo.InvariantCulture) == answers[i],
                $"{TimeFormats.Local(locals[i])} in {id}: NodaTime {ours} vs date {answers[i]}");
        }
    }

    [Fact]
    public void Oracle_KnownValues_AgreeWithLiterals()
    {
        SystemDate.AssertAvailable("America/New_York");

        Assert.Equal("-0500 EST", SystemDate.Once("America/New_York", "@1607349600", "+%z %Z")); // 2020-12-07T14:00Z
        Assert.Equal("+0545 +0545", SystemDate.Once("Asia/Kathmandu", "@1607349600", "+%z %Z"));
        Assert.Equal("+0100 IST", SystemDate.Once("Europe/Dublin", "@1814443200", "+%z %Z")); // 2027-07-01T12:00Z
        Assert.Equal(
            Instant.FromUtc(2027, 3, 14, 7, 30).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            SystemDate.Once("UTC", "TZ=\"America/New_York\" 2027-03-14 03:30", "+%s"));
        Assert.Equal(1607349600, Instant.FromUtc(2020, 12, 7, 14, 0).ToUnixTimeSeconds());
        Assert.Equal(1814443200, Instant.FromUtc(2027, 7, 1, 12, 0).ToUnixTimeSeconds());
    }

    // Each transition's neighbourhood plus the first of every month, from 2024 up to untilYear.
    private static List<Instant> SampleInstants(DateTimeZone zone, int untilYear)
    {
        var until = Instant.FromUtc(untilYear, 1, 1, 0, 0);
        var around = Zones.Transitions(zone, 2024, untilYear)
            .Select(t => t.After.Start)
            .SelectMany(t => new[]
            {
                t - Duration.FromHours(25), t - Duration.FromHours(1), t - Duration.FromSeconds(1), t,
                t + Duration.FromMinutes(30), t + Duration.FromHours(1), t + Duration.FromHours(25),
            });
        var monthly = Enumerable.Range(0, 48).Select(m => Instant.FromUtc(2024 + m / 12, m % 12 + 1, 1, 12, 0));
        return around.Concat(monthly).Where(i => i < until).Distinct().Order().ToList();
    }

    private static string Describe(Instant instant, DateTimeZone zone)
    {
        var interval = zone.GetZoneInterval(instant);
        return $"{DateOffset.Format(interval.WallOffset)} {interval.Name}";
    }
}
