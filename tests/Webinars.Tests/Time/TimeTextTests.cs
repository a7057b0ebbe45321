using NodaTime;
using Webinars.Time;

namespace Webinars.Tests.Time;

public sealed class TimeTextTests
{
    private static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];

    private static readonly Instant SeedStart = Instant.FromUtc(2020, 12, 7, 14, 0);

    [Fact]
    public void Headline_SeedWebinar_ReadsLikeTheAnnouncement()
    {
        var text = TimeText.Headline(SeedStart, Duration.FromHours(1), Zone("America/New_York"), [Zone("America/New_York"), Zone("Europe/Paris")]);

        Assert.Equal("Monday, December 7, 2020, 9:00–10:00 AM EST (3:00–4:00 PM CET)", text);
    }

    [Fact]
    public void Headline_OtherZoneOnAnotherDate_ShowsItsDate()
    {
        var text = TimeText.Headline(Instant.FromUtc(2027, 1, 12, 16, 0), Duration.FromHours(1), Zone("America/New_York"), [Zone("Asia/Tokyo")]);

        Assert.Equal("Tuesday, January 12, 2027, 11:00 AM–12:00 PM EST (Wednesday, January 13, 2027, 1:00–2:00 AM JST)", text);
    }

    [Theory]
    [InlineData("Europe/Dublin", 2027, 7, 1, 13, 0, "Thursday, July 1, 2027, 2:00–3:00 PM IST", "IST")]
    [InlineData("Europe/Dublin", 2027, 1, 12, 14, 0, "Tuesday, January 12, 2027, 2:00–3:00 PM GMT", "GMT")]
    [InlineData("Europe/Paris", 2027, 7, 1, 13, 0, "Thursday, July 1, 2027, 3:00–4:00 PM CEST", "CEST")]
    [InlineData("Asia/Kathmandu", 2027, 1, 12, 3, 15, "Tuesday, January 12, 2027, 9:00–10:00 AM +0545", "+0545")]
    [InlineData("Pacific/Chatham", 2027, 1, 11, 19, 15, "Tuesday, January 12, 2027, 9:00–10:00 AM +1345", "+1345")]
    [InlineData("Australia/Lord_Howe", 2027, 7, 11, 22, 30, "Monday, July 12, 2027, 9:00–10:00 AM +1030", "+1030")]
    [InlineData("Antarctica/Troll", 2027, 7, 1, 7, 0, "Thursday, July 1, 2027, 9:00–10:00 AM +02", "+02")]
    [InlineData("America/Santiago", 2027, 1, 12, 12, 0, "Tuesday, January 12, 2027, 9:00–10:00 AM -03", "-03")]
    public void For_AwkwardZones_UsesTzdbAbbreviations(string zone, int y, int mo, int d, int h, int mi, string text, string abbreviation)
    {
        var time = TimeText.For(Instant.FromUtc(y, mo, d, h, mi), Duration.FromHours(1), Zone(zone));

        Assert.Equal(text, time.Text);
        Assert.Equal(abbreviation, time.Abbreviation);
        Assert.Equal(zone, time.Zone);
    }

    [Fact]
    public void For_CrossingMidnight_ShowsBothDates()
    {
        var time = TimeText.For(Instant.FromUtc(2027, 1, 13, 4, 30), Duration.FromHours(1), Zone("America/New_York"));

        Assert.Equal("Tuesday, January 12, 2027, 11:30 PM EST – Wednesday, January 13, 2027, 12:30 AM EST", time.Text);
        Assert.Equal(new LocalDateTime(2027, 1, 13, 0, 30), time.LocalEnd);
    }

    [Fact]
    public void For_ClocksGoBackDuringTheWebinar_ShowsBothAbbreviations()
    {
        // 05:30Z is 01:30 EDT; two real hours later, 07:30Z, the clocks have gone back: 02:30 EST.
        var time = TimeText.For(Instant.FromUtc(2027, 11, 7, 5, 30), Duration.FromHours(2), Zone("America/New_York"));

        Assert.Equal("Sunday, November 7, 2027, 1:30 AM EDT – 2:30 AM EST", time.Text);
    }

    [Fact]
    public void For_HavanaAcrossMidnightTransition_UsesTheNewOffset()
    {
        // Havana springs forward at midnight: 00:00 CST does not exist; 05:00Z is 01:00 CDT.
        var time = TimeText.For(Instant.FromUtc(2025, 3, 9, 5, 0), Duration.FromHours(1), Zone("America/Havana"));

        Assert.Equal("Sunday, March 9, 2025, 1:00–2:00 AM CDT", time.Text);
    }

    [Fact]
    public void ShortRange_OmitsTheDate()
    {
        Assert.Equal("3:00–4:00 PM CET", TimeText.ShortRange(SeedStart, Duration.FromHours(1), Zone("Europe/Paris")));
    }
}
