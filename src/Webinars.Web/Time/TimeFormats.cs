using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Webinars.Time;

/// <summary>The few machine-readable formats shared by problems, alternatives and the API.</summary>
public static class TimeFormats
{
    private static readonly LocalDateTimePattern MinutePattern =
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");
    private static readonly LocalDateTimePattern SecondPattern =
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss");
    private static readonly OffsetPattern MinuteOffset = OffsetPattern.CreateWithInvariantCulture("+HH':'mm");
    private static readonly OffsetPattern SecondOffset = OffsetPattern.CreateWithInvariantCulture("+HH':'mm':'ss");

    /// <summary>yyyy-MM-ddTHH:mm, with :ss only when the seconds are not zero.</summary>
    public static string Local(LocalDateTime value) =>
        value.Second == 0 && value.NanosecondOfSecond == 0 ? MinutePattern.Format(value) : SecondPattern.Format(value);

    /// <summary>±HH:mm (zero is "+00:00", not "Z", so every alternative reads alike).</summary>
    public static string Offset(Offset value) =>
        value.Seconds % 60 == 0 ? MinuteOffset.Format(value) : SecondOffset.Format(value);

    /// <summary>HH:mm, or the full local date-time when <paramref name="value"/> is not on <paramref name="date"/>.</summary>
    internal static string ClockOn(LocalDate date, LocalDateTime value) =>
        value.Date == date && value.Second == 0
            ? value.ToString("HH':'mm", CultureInfo.InvariantCulture)
            : Local(value);
}
