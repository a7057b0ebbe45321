using NodaTime;
using NodaTime.TimeZones;

namespace Webinars.Tests.Time;

/// <summary>Test helpers over the embedded tzdb.</summary>
internal static class Zones
{
    public static DateTimeZone Get(string id) => DateTimeZoneProviders.Tzdb[id];

    /// <summary>Instants at which the zone's offset or abbreviation changes, from Jan 1 of <paramref name="fromYear"/> up to (not including) Jan 1 of <paramref name="toYear"/>.</summary>
    public static IReadOnlyList<(ZoneInterval Before, ZoneInterval After)> Transitions(DateTimeZone zone, int fromYear, int toYear)
    {
        var from = Instant.FromUtc(fromYear, 1, 1, 0, 0);
        var to = Instant.FromUtc(toYear, 1, 1, 0, 0);
        var intervals = zone.GetZoneIntervals(from, to).ToList();
        return intervals.Zip(intervals.Skip(1)).Where(pair => pair.Second.Start > from).ToList();
    }
}
