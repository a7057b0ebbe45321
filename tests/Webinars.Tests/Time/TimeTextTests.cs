using System.Globalization;
using NodaTime;
using Webinars.Time;

namespace Webinars.Tests.Time;

public class TimeTextTests
{
    private static readonly Duration OneHour = Duration.FromHours(1);

    [Fact]
    public void Headline_SeedWebinar_MatchesSeedText()
    {
        var text = TimeText.Headline(
            Instant.FromUtc(2020, 12, 7, 14, 0), OneHour, Zones.Get("America/New_York"), [Zones.Get("Europe/Paris")]);

        Assert.Equal("Monday, December 7, 2020, 9:00–10:00 AM EST (3:00–4:00 PM CET)", text);
    }

    [Fact]
    public void Headline_OtherZoneOnNextDate_ShowsItsWeekdayAndDate()
    {
        var text = TimeText.Headline(
            Instant.FromUtc(2020, 12, 7, 16, 0), OneHour, Zones.Get("America/New_York"),
            [Zones.Get("Europe/Paris"), Zones.Get("Asia/Tokyo")]);

        Assert.Equal(
            "Monday, December 7, 2020, 11:00 AM–12:00 PM EST (5:00–6:00 PM CET; Tuesday, December 8, 1:00–2:00 AM JST)",
            text);
    }

    [Fact]
    public void Headline_HostAndDuplicatesAmongOthers_ShownOnce()
    {
        var text = TimeText.Headline(
            Instant.FromUtc(2020, 12, 7, 14, 0), OneHour, Zones.Get("America/New_York"),
            [Zones.Get("America/New_York"), Zones.Get("Europe/Paris"), Zones.Get("Europe/Paris")]);

        Assert.Equal("Monday, December 7, 2020, 9:00–10:00 AM EST (3:00–4:00 PM CET)", text);
    }

    [Fact]
    public void Headline_LinkOfHostAndOfOther_TreatedAsSameZones()
    {
        var text = TimeText.Headline(
            Instant.FromUtc(2020, 12, 7, 14, 0), OneHour, Zones.Get("America/New_York"),
            [Zones.Get("US/Eastern"), Zones.Get("Europe/Paris"), Zones.Get("Europe/Monaco")]);

        Assert.Equal("Monday, December 7, 2020, 9:00–10:00 AM EST (3:00–4:00 PM CET)", text);
    }

    [Fact]
    public void Headline_NoOtherZones_NoParentheses()
    {
        var text = TimeText.Headline(Instant.FromUtc(2020, 12, 7, 14, 0), OneHour, Zones.Get("America/New_York"), []);

        Assert.Equal("Monday, December 7, 2020, 9:00–10:00 AM EST", text);
    }

    [Fact]
    public void For_SeedInstantInNewYork_DisplayTimeFields()
    {
        var t = TimeText.For(Instant.FromUtc(2020, 12, 7, 14, 0), OneHour, Zones.Get("America/New_York"));

        Assert.Equal("America/New_York", t.Zone);
        Assert.Equal("EST", t.Abbreviation);
        Assert.Equal(new LocalDateTime(2020, 12, 7, 9, 0), t.LocalStart);
        Assert.Equal(new LocalDateTime(2020, 12, 7, 10, 0), t.LocalEnd);
        Assert.Equal("Monday, December 7, 2020, 9:00–10:00 AM EST", t.Text);
    }

    [Fact]
    public void For_MeridiemChanges_ShowsBothMeridiems()
    {
        var t = TimeText.For(Instant.FromUtc(2020, 12, 7, 14, 0), Duration.FromHours(4), Zones.Get("America/New_York"));

        Assert.Equal("Monday, December 7, 2020, 9:00 AM–1:00 PM EST", t.Text);
    }

    [Fact]
    public void For_EndsOnNextLocalDate_ShowsBothDates()
    {
        var t = TimeText.For(Instant.FromUtc(2020, 12, 8, 4, 30), OneHour, Zones.Get("America/New_York"));

        Assert.Equal("Monday, December 7, 2020, 11:30 PM – Tuesday, December 8, 2020, 12:30 AM EST", t.Text);
    }

    [Fact]
    public void For_ClocksGoBackDuringEvent_ShowsBothAbbreviations()
    {
        var t = TimeText.For(Instant.FromUtc(2027, 11, 7, 5, 30), OneHour, Zones.Get("America/New_York"));

        Assert.Equal("Sunday, November 7, 2027, 1:30 AM EDT – 1:30 AM EST", t.Text);
        Assert.Equal("EDT", t.Abbreviation);
        Assert.Equal("EST", t.EndAbbreviation);
    }

    [Fact]
    public void For_NoonAndMidnight_Use12()
    {
        var noon = TimeText.For(Instant.FromUtc(2027, 1, 4, 12, 0), OneHour, Zones.Get("Etc/UTC"));
        var midnight = TimeText.For(Instant.FromUtc(2027, 1, 4, 0, 0), Duration.FromMinutes(45), Zones.Get("Etc/UTC"));

        Assert.Equal("Monday, January 4, 2027, 12:00–1:00 PM UTC", noon.Text);
        Assert.Equal("Monday, January 4, 2027, 12:00–12:45 AM UTC", midnight.Text);
    }

    [Theory]
    [InlineData("Europe/Dublin", 2027, 7, 1, "IST", "Thursday, July 1, 2027, 1:00–2:00 PM IST")]
    [InlineData("Europe/Dublin", 2027, 1, 4, "GMT", "Monday, January 4, 2027, 12:00–1:00 PM GMT")]
    [InlineData("Europe/Paris", 2027, 7, 1, "CEST", "Thursday, July 1, 2027, 2:00–3:00 PM CEST")]
    [InlineData("Asia/Kathmandu", 2027, 1, 4, "+0545", "Monday, January 4, 2027, 5:45–6:45 PM +0545")]
    [InlineData("Asia/Kolkata", 2027, 1, 4, "IST", "Monday, January 4, 2027, 5:30–6:30 PM IST")]
    [InlineData("Pacific/Chatham", 2027, 1, 4, "+1345", "Tuesday, January 5, 2027, 1:45–2:45 AM +1345")]
    [InlineData("Pacific/Chatham", 2027, 7, 1, "+1245", "Friday, July 2, 2027, 12:45–1:45 AM +1245")]
    [InlineData("Australia/Lord_Howe", 2027, 1, 4, "+11", "Monday, January 4, 2027, 11:00 PM – Tuesday, January 5, 2027, 12:00 AM +11")]
    [InlineData("Australia/Lord_Howe", 2027, 7, 1, "+1030", "Thursday, July 1, 2027, 10:30–11:30 PM +1030")]
    [InlineData("America/Santiago", 2027, 1, 4, "-03", "Monday, January 4, 2027, 9:00–10:00 AM -03")]
    [InlineData("America/Havana", 2027, 7, 1, "CDT", "Thursday, July 1, 2027, 8:00–9:00 AM CDT")]
    [InlineData("Antarctica/Troll", 2027, 7, 1, "+02", "Thursday, July 1, 2027, 2:00–3:00 PM +02")]
    [InlineData("Antarctica/Troll", 2027, 1, 4, "+00", "Monday, January 4, 2027, 12:00–1:00 PM +00")]
    public void For_NoonUtcInAwkwardZone_TzdbAbbreviationAndText(string zone, int y, int m, int d, string abbreviation, string text)
    {
        var t = TimeText.For(Instant.FromUtc(y, m, d, 12, 0), OneHour, Zones.Get(zone));

        Assert.Equal(abbreviation, t.Abbreviation);
        Assert.Equal(text, t.Text);
    }

    [Fact]
    public void For_ZeroLength_ShowsSingleTime()
    {
        var t = TimeText.For(Instant.FromUtc(2020, 12, 7, 14, 0), Duration.Zero, Zones.Get("America/New_York"));

        Assert.Equal("Monday, December 7, 2020, 9:00 AM EST", t.Text);
    }

    [Fact]
    public void For_NegativeLength_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => TimeText.For(Instant.FromUtc(2020, 12, 7, 14, 0), Duration.FromMinutes(-1), Zones.Get("America/New_York")));
    }

    [Fact]
    public void ShortRange_ParisWinterAfternoon_OmitsDate()
    {
        var t = TimeText.For(Instant.FromUtc(2020, 12, 7, 14, 0), OneHour, Zones.Get("Europe/Paris"));

        Assert.Equal("3:00–4:00 PM CET", TimeText.ShortRange(t));
    }

    [Fact]
    public void ShortRange_AcrossMidnight_NamesTheEndDate()
    {
        var t = TimeText.For(Instant.FromUtc(2020, 12, 8, 4, 30), OneHour, Zones.Get("America/New_York"));

        Assert.Equal("11:30 PM – Tuesday, December 8, 12:30 AM EST", TimeText.ShortRange(t));
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("ar-SA")]
    [InlineData("th-TH")]
    [InlineData("fa-IR")]
    public void Headline_UnderForeignCurrentCulture_StaysEnglish(string culture)
    {
        var original = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);

            var text = TimeText.Headline(
                Instant.FromUtc(2020, 12, 7, 14, 0), OneHour, Zones.Get("America/New_York"), [Zones.Get("Europe/Paris")]);

            Assert.Equal("Monday, December 7, 2020, 9:00–10:00 AM EST (3:00–4:00 PM CET)", text);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = original;
        }
    }
}
