using System.Net;
using System.Net.Http.Json;
using Ical.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Feeds;

/// <summary>The .ics per webinar and the subscribable topic calendar as a calendar client sees them; once per database.</summary>
public abstract class CalendarsTests(WebinarsApp app)
{
    private string SiteBase => app.Services.GetRequiredService<IConfiguration>()["Site:BaseUrl"]!.TrimEnd('/');

    [Fact]
    public async Task WebinarIcs_Announced_HasHostZoneUtcInstantAndSequenceZero()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff), "Trust in a Time of Rivalry"));

        var response = await app.CreateClient().GetAsync($"/webinars/{slug}.ics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal($"attachment; filename={slug}.ics", response.Content.Headers.ContentDisposition!.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("DTSTART;TZID=America/New_York:20270112T090000", text);
        Assert.Contains("DTEND;TZID=America/New_York:20270112T100000", text);
        var calendar = Calendar.Load(text)!;
        Assert.Equal("PUBLISH", calendar.Method);
        Assert.Equal("America/New_York", Assert.Single(calendar.TimeZones).TzId);
        var e = Assert.Single(calendar.Events);
        Assert.Equal("America/New_York", e.DtStart!.TzId);
        Assert.Equal(new DateTime(2027, 1, 12, 14, 0, 0, DateTimeKind.Utc), e.DtStart.AsUtc);
        Assert.Equal(new DateTime(2027, 1, 12, 15, 0, 0, DateTimeKind.Utc), e.DtEnd!.AsUtc);
        Assert.Equal(0, e.Sequence);
        Assert.Equal("Trust in a Time of Rivalry", e.Summary);
        Assert.Equal("CONFIRMED", e.Status);
        Assert.EndsWith("@webinars", e.Uid);
        Assert.Equal(new Uri($"{SiteBase}/webinars/{slug}"), e.Url);
        Assert.Contains("A frank discussion.", e.Description);
        Assert.Contains($"{SiteBase}/webinars/{slug}", e.Description);
        Assert.NotNull(e.DtStamp);
    }

    [Fact]
    public async Task WebinarIcs_StartEditedAfterAnnouncing_SequenceOneSameUidNewTime()
    {
        var staff = await app.CreateStaffClientAsync();
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff));
        var slug = await TestData.CreateWebinarAsync(staff, body);
        var before = Assert.Single((await LoadAsync(await app.CreateClient().GetAsync($"/webinars/{slug}.ics"))).Events);

        body["localStart"] = "2027-01-13T11:30:00";
        (await staff.PutAsJsonAsync($"/api/webinars/{slug}", body)).EnsureSuccessStatusCode();
        var after = Assert.Single((await LoadAsync(await app.CreateClient().GetAsync($"/webinars/{slug}.ics"))).Events);

        Assert.Equal(0, before.Sequence);
        Assert.Equal(1, after.Sequence);
        Assert.Equal(before.Uid, after.Uid);
        Assert.Equal(new DateTime(2027, 1, 13, 16, 30, 0, DateTimeKind.Utc), after.DtStart!.AsUtc);
    }

    [Fact]
    public async Task WebinarIcs_Cancelled_MethodCancelAndStatusCancelled()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));
        (await staff.PostAsync($"/api/webinars/{slug}/cancel", null)).EnsureSuccessStatusCode();

        var calendar = await LoadAsync(await app.CreateClient().GetAsync($"/webinars/{slug}.ics"));

        Assert.Equal("CANCEL", calendar.Method);
        var e = Assert.Single(calendar.Events);
        Assert.Equal("CANCELLED", e.Status);
        Assert.Equal(1, e.Sequence);
    }

    [Fact]
    public async Task WebinarIcs_Draft_NotFoundForThePublicButServedToStaff()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)), announce: false);

        var anonymous = await app.CreateClient().GetAsync($"/webinars/{slug}.ics");
        var moderator = await (await app.CreateClientWithRoleAsync("Moderator")).GetAsync($"/webinars/{slug}.ics");
        var forStaff = await staff.GetAsync($"/webinars/{slug}.ics");

        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, moderator.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forStaff.StatusCode);
        Assert.True(forStaff.Headers.CacheControl!.NoStore);
    }

    [Fact]
    public async Task TopicCalendar_PublicWebinars_AllEventsWithZoneSequenceAndCancellations()
    {
        var staff = await app.CreateStaffClientAsync();
        var name = $"Strategic Trust {Guid.NewGuid():N}";
        var topic = await TestData.CreateTopicAsync(staff, name);
        var upcoming = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Upcoming"));
        var recentBody = TestData.WebinarBody(topic, "Recent", "2026-06-10T09:00:00");
        recentBody["hostZone"] = "Europe/Paris";
        var recent = await TestData.CreateWebinarAsync(staff, recentBody);
        var cancelled = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Cancelled One", "2027-02-02T09:00:00"));
        (await staff.PostAsync($"/api/webinars/{cancelled}/cancel", null)).EnsureSuccessStatusCode();
        await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Long Ago", "2020-12-07T09:00:00"));
        await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Draft"), announce: false);

        var response = await app.CreateClient().GetAsync($"/topics/{topic}/calendar.ics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains($"X-WR-CALNAME:{name}", text);
        var calendar = Calendar.Load(text)!;
        Assert.Equal("PUBLISH", calendar.Method);
        Assert.Equal(["America/New_York", "Europe/Paris"], calendar.TimeZones.Select(z => z.TzId).Order());
        var events = calendar.Events.ToDictionary(e => e.Url!.ToString());
        Assert.Equal(3, events.Count);
        Assert.Equal("America/New_York", events[$"{SiteBase}/webinars/{upcoming}"].DtStart!.TzId);
        Assert.Equal("Europe/Paris", events[$"{SiteBase}/webinars/{recent}"].DtStart!.TzId);
        Assert.Equal(new DateTime(2026, 6, 10, 7, 0, 0, DateTimeKind.Utc), events[$"{SiteBase}/webinars/{recent}"].DtStart!.AsUtc);
        var called = events[$"{SiteBase}/webinars/{cancelled}"];
        Assert.Equal("CANCELLED", called.Status);
        Assert.Equal(1, called.Sequence);
    }

    [Fact]
    public async Task WebinarIcs_IfModifiedSinceItsLastModified_Returns304()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));
        var client = app.CreateClient();
        var first = await client.GetAsync($"/webinars/{slug}.ics");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/webinars/{slug}.ics");
        request.Headers.IfModifiedSince = first.Content.Headers.LastModified;
        var again = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
    }

    private static async Task<Calendar> LoadAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Calendar.Load(await response.Content.ReadAsStringAsync())!;
    }
}

public sealed class SqliteCalendarsTests(SqliteApp app) : CalendarsTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresCalendarsTests(PostgresApp app) : CalendarsTests(app), IClassFixture<PostgresApp>;
