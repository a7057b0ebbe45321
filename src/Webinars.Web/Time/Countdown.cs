using System.Globalization;
using NodaTime;

namespace Webinars.Time;

/// <summary>"2 days 3 hours", "3 hours 12 minutes", "12 minutes": the time left, as wwwroot/js/countdown.js words it too.</summary>
public static class Countdown
{
    public static string Text(Duration left)
    {
        if (left < Duration.FromMinutes(1)) return "less than a minute";
        var days = left.Days;
        var hours = left.Hours;
        var minutes = left.Minutes;
        return days > 0 ? Join(Unit(days, "day"), hours > 0 ? Unit(hours, "hour") : null)
            : hours > 0 ? Join(Unit(hours, "hour"), minutes > 0 ? Unit(minutes, "minute") : null)
            : Unit(minutes, "minute");
    }

    private static string Unit(int n, string unit) => string.Create(CultureInfo.InvariantCulture, $"{n} {unit}{(n == 1 ? "" : "s")}");

    private static string Join(string first, string? second) => second is null ? first : $"{first} {second}";
}
