using Ical.Net;
using NodaTime;
using Webinars.Feeds;
using Webinars.Topics;
using Webinars.Webinars;

namespace Webinars.Tests.Feeds;

/// <summary>The calendar builder on its own: what email invitations and awkward local times need.</summary>
public sealed class WebinarCalendarTests
{
    internal const string PageUrl = "https://webinars.example.org/webinars/trust";

    [Fact]
    public void Build_InvitationWithAttendeeAndAlarm_CarriesRequestAttendeeOrganizerAndAlarm()
    {
        var webinar = Webinar("America/New_York", new LocalDateTime(2027, 1, 12, 9, 0), Offset.FromHours(-5));
        webinar.Sequence = 2;
        var invitee = new CalendarInvitee("ada@example.org", "Ada Lovelace", "events@example.org", "The Institute");

        var text = WebinarCalendar.Serialize(WebinarCalendar.Build(webinar, PageUrl, WebinarCalendar.Request,
            Instant.FromUtc(2026, 11, 29, 12, 0), invitee, Duration.FromHours(1)));

        var calendar = Calendar.Load(text)!;
        Assert.Equal("REQUEST", calendar.Method);
        var e = Assert.Single(calendar.Events);
        Assert.Equal($"{webinar.Id}@webinars", e.Uid);
        Assert.Equal(2, e.Sequence);
        Assert.Equal("mailto:ada@example.org", Assert.Single(e.Attendees).Value!.ToString());
        Assert.Equal("mailto:events@example.org", e.Organizer!.Value!.ToString());
        Assert.Equal("-PT1H", Assert.Single(e.Alarms).Trigger!.Duration.ToString());
        Assert.Contains("DTSTAMP:20261129T120000Z", text);
    }

    [Theory]
    [InlineData("Ada Lovelace", "ada@example.org")]
    [InlineData("Lovelace, Ada; Countess: of Lovelace, with a name long enough to be folded twice over", "a.very.long.address.that.goes.on@example.org")]
    [InlineData("Émilie du Châtelet", "emilie@example.org")]
    [InlineData("Quote \"Q\" Person", "q@example.org")]
    [InlineData("", "nameless@example.org")]
    public void SerializeInvitation_AnyInvitee_SameLinesAsBuildingTheCalendar(string name, string email)
    {
        var webinar = Webinar("America/New_York", new LocalDateTime(2027, 1, 12, 9, 0), Offset.FromHours(-5));
        foreach (var (method, status) in new[] { (WebinarCalendar.Request, "ACCEPTED"), (WebinarCalendar.Cancel, "DECLINED") })
        {
            var invitee = new CalendarInvitee(email, name, "events@example.org", "The Institute", status);
            var stamp = Instant.FromUtc(2026, 11, 29, 12, 0, 7);

            var built = WebinarCalendar.Serialize(WebinarCalendar.Build(webinar, PageUrl, method, stamp, invitee, Duration.FromMinutes(15)));
            var cached = WebinarCalendar.SerializeInvitation(webinar, PageUrl, method, stamp, invitee, Duration.FromMinutes(15));

            // Ical.Net may order a component's properties differently; the lines are what must match.
            Assert.Equal(built.Split("\r\n").Order(StringComparer.Ordinal), cached.Split("\r\n").Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Build_WebinarYearsAhead_CarriesItsZoneAndStart()
    {
        // Ical.Net's VTIMEZONE builder refuses a "support from" date more than about a year ahead of today.
        var webinar = Webinar("America/New_York", new LocalDateTime(2030, 6, 12, 9, 0), Offset.FromHours(-4));

        var calendar = Calendar.Load(WebinarCalendar.Serialize(WebinarCalendar.Build(webinar, PageUrl, WebinarCalendar.Publish, webinar.UpdatedAt)))!;

        Assert.Equal("America/New_York", Assert.Single(calendar.TimeZones).TzId);
        var start = Assert.Single(calendar.Events).DtStart!;
        Assert.Equal("America/New_York", start.TzId);
        Assert.Equal(new DateTime(2030, 6, 12, 13, 0, 0, DateTimeKind.Utc), start.AsUtc);
    }

    [Fact]
    public void Build_StartOnTheSecondOfTwoEqualLocalTimes_WrittenInUtc()
    {
        // 2027-11-07 01:30 happens twice in New York; -05:00 is the second (EST), which TZID alone would not mean.
        var webinar = Webinar("America/New_York", new LocalDateTime(2027, 11, 7, 1, 30), Offset.FromHours(-5));

        var e = Assert.Single(Calendar.Load(WebinarCalendar.Serialize(
            WebinarCalendar.Build(webinar, PageUrl, WebinarCalendar.Publish, webinar.UpdatedAt)))!.Events);

        Assert.True(e.DtStart!.IsUtc);
        Assert.Equal(new DateTime(2027, 11, 7, 6, 30, 0, DateTimeKind.Utc), e.DtStart.AsUtc);
    }

    [Fact]
    public void Build_StartOnTheFirstOfTwoEqualLocalTimes_KeepsTheHostZone()
    {
        var webinar = Webinar("America/New_York", new LocalDateTime(2027, 11, 7, 1, 30), Offset.FromHours(-4));

        var e = Assert.Single(Calendar.Load(WebinarCalendar.Serialize(
            WebinarCalendar.Build(webinar, PageUrl, WebinarCalendar.Publish, webinar.UpdatedAt)))!.Events);

        Assert.Equal("America/New_York", e.DtStart!.TzId);
        Assert.Equal(new DateTime(2027, 11, 7, 5, 30, 0, DateTimeKind.Utc), e.DtStart.AsUtc);
    }

    private static Webinar Webinar(string zone, LocalDateTime localStart, Offset offset)
    {
        var start = new OffsetDateTime(localStart, offset).ToInstant();
        return new Webinar
        {
            Slug = "trust",
            Title = "Trust in a Time of Rivalry",
            Summary = "A **frank** discussion.",
            HostZoneId = zone,
            LocalStart = localStart,
            StartOffset = offset,
            StartsAt = start,
            EndsAt = start + Duration.FromHours(1),
            DurationMinutes = 60,
            DisplayZoneIds = [zone, "Europe/Paris"],
            Status = WebinarStatus.Announced,
            CreatedAt = Instant.FromUtc(2026, 11, 1, 0, 0),
            UpdatedAt = Instant.FromUtc(2026, 11, 2, 0, 0),
            Topic = new Topic { Slug = "trust", Name = "Strategic Trust-Building" },
        };
    }
}
