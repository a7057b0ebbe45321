using NodaTime;
using Webinars.Feeds;
using Webinars.Webinars;

namespace Webinars.Tests.Feeds;

public sealed class CalendarLinksTests
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    private static WebinarView View(LocalDateTime localStart, string title = "Trust & Rivalry") => WebinarView.From(new Webinar
    {
        Slug = "trust",
        Title = title,
        Summary = "",
        SummaryHtml = "",
        Topic = new global::Webinars.Topics.Topic { Slug = "t", Name = "T" },
        HostZoneId = NewYork.Id,
        LocalStart = localStart,
        StartOffset = NewYork.GetUtcOffset(localStart.InZoneStrictly(NewYork).ToInstant()),
        StartsAt = localStart.InZoneStrictly(NewYork).ToInstant(),
        EndsAt = localStart.InZoneStrictly(NewYork).ToInstant() + Duration.FromMinutes(90),
        DurationMinutes = 90,
        DisplayZoneIds = [NewYork.Id],
    });

    [Fact]
    public void Google_WinterStartInNewYork_GivesUtcDatesAndEscapedTitle()
    {
        var link = CalendarLinks.Google(View(new LocalDateTime(2027, 1, 12, 9, 0)), "https://webinars.example.org/webinars/trust");

        Assert.StartsWith("https://calendar.google.com/calendar/render?action=TEMPLATE&", link, StringComparison.Ordinal);
        Assert.Contains("&dates=20270112T140000Z/20270112T153000Z&", link, StringComparison.Ordinal);
        Assert.Contains("&text=Trust%20%26%20Rivalry&", link, StringComparison.Ordinal);
        Assert.Contains("&details=https%3A%2F%2Fwebinars.example.org%2Fwebinars%2Ftrust", link, StringComparison.Ordinal);
    }

    [Fact]
    public void Outlook_SummerStartInNewYork_GivesUtcStartAndEnd()
    {
        var link = CalendarLinks.Outlook(View(new LocalDateTime(2027, 7, 12, 9, 0)), "https://webinars.example.org/webinars/trust");

        Assert.StartsWith("https://outlook.live.com/calendar/0/action/compose?rru=addevent&", link, StringComparison.Ordinal);
        Assert.Contains("&startdt=2027-07-12T13:00:00Z&enddt=2027-07-12T14:30:00Z&", link, StringComparison.Ordinal);
        Assert.Contains("&subject=Trust%20%26%20Rivalry&", link, StringComparison.Ordinal);
    }
}
