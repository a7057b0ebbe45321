using System.Globalization;
using NodaTime;

namespace Webinars.Time;

/// <summary>A webinar's time in one zone: the local start and end, tzdb's abbreviation, and the sentence people read.</summary>
public sealed record DisplayTime(string Zone, string Abbreviation, LocalDateTime LocalStart, LocalDateTime LocalEnd, string Text);

/// <summary>
/// Times as an announcement writes them: "Monday, December 7, 2020, 9:00–10:00 AM EST (3:00–4:00 PM CET)".
/// Independent of the machine's culture; abbreviations are tzdb's own (EST, CEST, IST, GMT, +0545).
/// </summary>
public static class TimeText
{
    private static readonly CultureInfo English = CultureInfo.InvariantCulture;

    public static DisplayTime For(Instant start, Duration length, DateTimeZone zone)
    {
        var (from, to) = (start.InZone(zone), (start + length).InZone(zone));
        return new DisplayTime(zone.Id, Abbreviation(from), from.LocalDateTime, to.LocalDateTime, $"{Date(from)}, {Range(from, to)}");
    }

    /// <summary>The range without the date: "3:00–4:00 PM CET".</summary>
    public static string ShortRange(Instant start, Duration length, DateTimeZone zone) =>
        Range(start.InZone(zone), (start + length).InZone(zone));

    /// <summary>The host zone's full text, then the other zones in parentheses, with their date when it differs.</summary>
    public static string Headline(Instant start, Duration length, DateTimeZone host, IEnumerable<DateTimeZone> others)
    {
        var hostStart = start.InZone(host);
        var parts = others.Where(z => z.Id != host.Id).Select(z =>
        {
            var (from, to) = (start.InZone(z), (start + length).InZone(z));
            return from.Date == hostStart.Date ? Range(from, to) : $"{Date(from)}, {Range(from, to)}";
        }).ToList();
        var main = For(start, length, host).Text;
        return parts.Count == 0 ? main : $"{main} ({string.Join("; ", parts)})";
    }

    private static string Range(ZonedDateTime from, ZonedDateTime to)
    {
        var (startAbbreviation, endAbbreviation) = (Abbreviation(from), Abbreviation(to));
        if (from.Date != to.Date)
        {
            return $"{Clock(from)} {startAbbreviation} – {Date(to)}, {Clock(to)} {endAbbreviation}";
        }

        if (startAbbreviation != endAbbreviation)
        {
            return $"{Clock(from)} {startAbbreviation} – {Clock(to)} {endAbbreviation}";
        }

        var sameHalf = from.Hour < 12 == to.Hour < 12;
        var first = sameHalf ? from.ToString("h:mm", English) : Clock(from);
        return $"{first}–{Clock(to)} {endAbbreviation}";
    }

    private static string Date(ZonedDateTime t) => t.ToString("dddd, MMMM d, uuuu", English);

    private static string Clock(ZonedDateTime t) => t.ToString("h:mm tt", English);

    private static string Abbreviation(ZonedDateTime t) => t.GetZoneInterval().Name;
}
