using System.Globalization;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace Webinars.Time;

/// <summary>
/// Either the start, resolved in its host zone, or the reason it cannot be (a DST gap, or an overlap without an
/// offset) together with the choices that would be valid.
/// </summary>
public sealed record StartResolution(ZonedDateTime? Start, string? Problem, IReadOnlyList<string> Alternatives)
{
    public static StartResolution Resolved(ZonedDateTime start) => new(start, null, []);

    public static StartResolution Refused(string problem, IReadOnlyList<string> alternatives) => new(null, problem, alternatives);
}

/// <summary>Placing a wall-clock start in its host zone, without ever guessing.</summary>
public static class HostTime
{
    private static readonly LocalDateTimePattern Minutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");
    private static readonly LocalDateTimePattern Seconds = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss");
    private static readonly OffsetPattern OffsetText = OffsetPattern.CreateWithInvariantCulture("+HH:mm");
    private static readonly OffsetPattern[] OffsetInputs =
    [
        OffsetPattern.CreateWithInvariantCulture("+HH:mm"),
        OffsetPattern.CreateWithInvariantCulture("+HHmm"),
        OffsetPattern.CreateWithInvariantCulture("+HH"),
        OffsetPattern.CreateWithInvariantCulture("+HH:mm:ss"),
    ];

    /// <param name="offset">Only needed, and only accepted as a choice, when the local time occurs twice.</param>
    public static StartResolution Resolve(LocalDateTime localStart, DateTimeZone zone, Offset? offset)
    {
        var mapping = zone.MapLocal(localStart);
        switch (mapping.Count)
        {
            case 0:
                return Gap(localStart, zone, mapping);
            case 1:
                var only = mapping.Single();
                return offset is null || offset == only.Offset
                    ? StartResolution.Resolved(only)
                    : StartResolution.Refused(
                        $"{Format(localStart)} in {zone.Id} has offset {FormatOffset(only.Offset)} ({only.GetZoneInterval().Name}), not {FormatOffset(offset.Value)}; leave \"offset\" out or send {FormatOffset(only.Offset)}.",
                        [Choice(only)]);
            default:
                var (earlier, later) = (mapping.First(), mapping.Last());
                if (offset == earlier.Offset) return StartResolution.Resolved(earlier);
                if (offset == later.Offset) return StartResolution.Resolved(later);
                var prefix = offset is null ? "" : $"Offset {FormatOffset(offset.Value)} is not one of them. ";
                return StartResolution.Refused(
                    $"{prefix}{Format(localStart)} occurs twice in {zone.Id}: first at {Choice(earlier)}, then again at {Choice(later)} after the clocks go back; send \"offset\" to choose.",
                    [Choice(earlier), Choice(later)]);
        }
    }

    public static bool TryParseOffset(string text, out Offset offset)
    {
        offset = Offset.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (text is "Z" or "z") return true;
        foreach (var pattern in OffsetInputs)
        {
            var parsed = pattern.Parse(text);
            if (parsed.Success)
            {
                offset = parsed.Value;
                return true;
            }
        }

        return false;
    }

    /// <summary>A tzdb zone by id (canonical or a link such as US/Eastern); null when unknown.</summary>
    public static DateTimeZone? FindZone(string? id) =>
        string.IsNullOrWhiteSpace(id) || id.Length > 64 ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id.Trim());

    public static string Format(LocalDateTime local) => (local.Second == 0 && local.NanosecondOfSecond == 0 ? Minutes : Seconds).Format(local);

    public static string FormatOffset(Offset offset) => OffsetText.Format(offset);

    private static StartResolution Gap(LocalDateTime localStart, DateTimeZone zone, ZoneLocalMapping mapping)
    {
        var before = mapping.EarlyInterval;
        var after = mapping.LateInterval;
        // The wall clock jumps from the end of the earlier interval (in its offset) to the start of the later one.
        var jumpsFrom = before.IsoLocalEnd;
        var jumpsTo = after.IsoLocalStart;
        var lastBefore = jumpsFrom.PlusMinutes(-1);
        return StartResolution.Refused(
            $"{Format(localStart)} does not exist in {zone.Id}: the clocks jump from {jumpsFrom.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture)} to {jumpsTo.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture)} ({before.Name} → {after.Name}) on {jumpsFrom.Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture)}. Choose a time before or after the jump.",
            [Format(lastBefore), Format(jumpsTo)]);
    }

    private static string Choice(ZonedDateTime zoned) => $"{FormatOffset(zoned.Offset)} ({zoned.GetZoneInterval().Name})";
}
