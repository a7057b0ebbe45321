using NodaTime.Text;
using Webinars.Webinars;

namespace Webinars.Feeds;

/// <summary>
/// "Add to calendar" links for the calendars people use in a browser. Both take UTC times, so the reader's own
/// calendar shows them in its zone; the .ics download (<see cref="WebinarCalendar"/>) covers every other calendar.
/// </summary>
public static class CalendarLinks
{
    private static readonly InstantPattern GoogleTime = InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");
    private static readonly InstantPattern OutlookTime = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'Z'");

    /// <summary>Google Calendar's event template: dates as yyyyMMddTHHmmssZ/yyyyMMddTHHmmssZ.</summary>
    public static string Google(WebinarView webinar, string pageUrl)
    {
        ArgumentNullException.ThrowIfNull(webinar);
        return "https://calendar.google.com/calendar/render?action=TEMPLATE" +
            $"&text={Escape(webinar.Title)}" +
            $"&dates={GoogleTime.Format(webinar.StartUtc)}/{GoogleTime.Format(webinar.EndUtc)}" +
            $"&details={Escape(pageUrl)}&location={Escape(pageUrl)}";
    }

    /// <summary>Outlook on the web's compose form (personal and work accounts read the same parameters).</summary>
    public static string Outlook(WebinarView webinar, string pageUrl)
    {
        ArgumentNullException.ThrowIfNull(webinar);
        return "https://outlook.live.com/calendar/0/action/compose?rru=addevent&path=%2Fcalendar%2Faction%2Fcompose" +
            $"&subject={Escape(webinar.Title)}" +
            $"&startdt={OutlookTime.Format(webinar.StartUtc)}&enddt={OutlookTime.Format(webinar.EndUtc)}" +
            $"&body={Escape(pageUrl)}&location={Escape(pageUrl)}";
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
