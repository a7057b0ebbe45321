using System.Globalization;
using NodaTime;

namespace Webinars.Time;

/// <summary>
/// Human-readable webinar times: "Monday, December 7, 2020, 9:00–10:00 AM EST (3:00–4:00 PM CET)".
/// Always en-US wording with invariant formatting, so the server's culture never leaks into pages or emails.
/// </summary>
public static class TimeText
{
    private enum DateStyle
    {
        None,
        WithoutYear,
        WithYear,
    }

    private const string EnDash = "\u2013";

    public static DisplayTime For(Instant start, Duration length, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, Duration.Zero);
        var from = start.InZone(zone);
        var to = (start + length).InZone(zone);
        var abbreviation = from.GetZoneInterval().Name;
        var endAbbreviation = to.GetZoneInterval().Name;
        var text = Range(from.LocalDateTime, abbreviation, to.LocalDateTime, endAbbreviation, DateStyle.WithYear, DateStyle.WithYear);
        return new DisplayTime(zone.Id, abbreviation, from.LocalDateTime, to.LocalDateTime, text)
        {
            EndAbbreviation = endAbbreviation,
        };
    }

    /// <summary>"3:00–4:00 PM CET": the time range without the start date (the end date appears only if it differs).</summary>
    public static string ShortRange(DisplayTime t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return Range(t.LocalStart, t.Abbreviation, t.LocalEnd, t.EndAbbreviation, DateStyle.None, DateStyle.WithoutYear);
    }

    /// <summary>
    /// The host-zone text followed by the other zones in parentheses, separated by "; ". Another zone shows
    /// its weekday and date only when its start date differs from the host's. Links of the same zone
    /// ("US/Eastern", "America/New_York") count as one.
    /// </summary>
    public static string Headline(Instant start, Duration length, DateTimeZone host, IEnumerable<DateTimeZone> others)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(others);
        var main = For(start, length, host);
        var hostId = HostTime.CanonicalId(host);
        var parts = others
            .Where(zone => HostTime.CanonicalId(zone) != hostId)
            .DistinctBy(HostTime.CanonicalId)
            .Select(zone => For(start, length, zone))
            .Select(t => Range(
                t.LocalStart,
                t.Abbreviation,
                t.LocalEnd,
                t.EndAbbreviation,
                t.LocalStart.Date == main.LocalStart.Date ? DateStyle.None : DateStyle.WithoutYear,
                DateStyle.WithoutYear))
            .ToList();
        return parts.Count == 0 ? main.Text : $"{main.Text} ({string.Join("; ", parts)})";
    }

    private static string Range(
        LocalDateTime start, string startAbbreviation, LocalDateTime end, string endAbbreviation, DateStyle startDate, DateStyle endDate)
    {
        var prefix = startDate == DateStyle.None ? "" : Date(start.Date, startDate) + ", ";
        if (start == end && startAbbreviation == endAbbreviation)
        {
            return $"{prefix}{Clock(start)} {Meridiem(start)} {startAbbreviation}";
        }

        // The compact form "9:00–10:00 AM EST" only reads right within one date and one abbreviation.
        if (start.Date == end.Date && startAbbreviation == endAbbreviation && start < end)
        {
            var startMeridiem = Meridiem(start) == Meridiem(end) ? "" : " " + Meridiem(start);
            return $"{prefix}{Clock(start)}{startMeridiem}{EnDash}{Clock(end)} {Meridiem(end)} {endAbbreviation}";
        }

        var startLabel = startAbbreviation == endAbbreviation ? "" : " " + startAbbreviation;
        var endPrefix = start.Date == end.Date ? "" : Date(end.Date, endDate) + ", ";
        return $"{prefix}{Clock(start)} {Meridiem(start)}{startLabel} {EnDash} {endPrefix}{Clock(end)} {Meridiem(end)} {endAbbreviation}";
    }

    private static string Date(LocalDate date, DateStyle style) =>
        date.ToString(style == DateStyle.WithYear ? "dddd, MMMM d, uuuu" : "dddd, MMMM d", CultureInfo.InvariantCulture);

    private static string Clock(LocalDateTime time) => time.ToString("h:mm", CultureInfo.InvariantCulture);

    // Invariant culture's designators are "AM"/"PM", but spelling them out keeps that independent of it.
    private static string Meridiem(LocalDateTime time) => time.Hour < 12 ? "AM" : "PM";
}
