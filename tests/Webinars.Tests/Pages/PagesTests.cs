using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Tests.Infrastructure;
using Webinars.Time;

namespace Webinars.Tests.Pages;

/// <summary>The server-rendered pages and the preview endpoint over HTTP, without a browser; once per database.</summary>
public abstract class PagesTests(WebinarsApp app)
{
    private static readonly Instant NewYorkJan12 = Instant.FromUtc(2027, 1, 12, 14, 0);
    private static readonly string[] NewYorkAndParis = ["America/New_York", "Europe/Paris"];

    [Fact]
    public async Task TopicPage_UnknownSlug_Returns404Page()
    {
        var response = await app.CreateClient().GetAsync("/topics/no-such-topic");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is no topic at this address.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TopicPage_WithUpcomingAndPast_ListsBothAndLinksFeeds()
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Coming Soon"));
        await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Long Ago", "2020-12-07T09:00:00"));
        await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Still A Draft"), announce: false);

        var html = await TextAsync(await app.CreateClient().GetAsync($"/topics/{topic}"));

        var upcoming = html[html.IndexOf("id=\"upcoming\"", StringComparison.Ordinal)..html.IndexOf("id=\"past\"", StringComparison.Ordinal)];
        var past = html[html.IndexOf("id=\"past\"", StringComparison.Ordinal)..];
        Assert.Contains("Coming Soon", upcoming);
        Assert.Contains("Long Ago", past);
        Assert.DoesNotContain("Still A Draft", html);
        Assert.Contains($"href=\"/topics/{topic}/feed.rss\"", html);
        Assert.Contains($"href=\"/topics/{topic}/feed.atom\"", html);
        Assert.Contains($"href=\"/topics/{topic}/calendar.ics\"", html);
    }

    [Fact]
    public async Task WebinarPage_Draft_IsNotFoundForThePublicButShownToStaff()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)), announce: false);

        var response = await app.CreateClient().GetAsync($"/webinars/{slug}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Only staff can see this page", await TextAsync(await staff.GetAsync($"/webinars/{slug}")));
    }

    [Fact]
    public async Task WebinarPage_TzQuery_RendersTimesSpeakersAndCalendarLinkAndRemembersZone()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));
        var tokyo = TimeText.For(NewYorkJan12, Duration.FromMinutes(60), DateTimeZoneProviders.Tzdb["Asia/Tokyo"]);
        var paris = TimeText.For(NewYorkJan12, Duration.FromMinutes(60), DateTimeZoneProviders.Tzdb["Europe/Paris"]);

        var response = await app.CreateClient().GetAsync($"/webinars/{slug}?tz=Asia/Tokyo");
        var html = await TextAsync(response);

        Assert.Contains($"{tokyo.Text} (Asia/Tokyo)", html);
        Assert.Contains(paris.Text, html);
        Assert.Contains("Hon. Izumi Nakamitsu", html);
        Assert.Contains("<h2>Moderator</h2>", html);
        Assert.Contains("<strong>frank</strong>", html);
        Assert.Contains($"href=\"/webinars/{slug}.ics\"", html);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("tz=Asia%2FTokyo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WebinarPage_Cancelled_ShowsBanner()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));
        (await staff.PostAsync($"/api/webinars/{slug}/cancel", null)).EnsureSuccessStatusCode();

        var html = await TextAsync(await app.CreateClient().GetAsync($"/webinars/{slug}"));

        Assert.Contains("<strong>Cancelled.</strong>", html);
        Assert.DoesNotContain("Add to calendar", html);
    }

    [Fact]
    public async Task WebinarPage_AnnouncedAndOver_ReadsEndedButKeepsTheStoredStatus()
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Long Ago", "2020-12-07T09:00:00"));

        var page = await TextAsync(await app.CreateClient().GetAsync($"/webinars/{slug}"));
        var topicPage = await TextAsync(await app.CreateClient().GetAsync($"/topics/{topic}"));
        var dashboard = await TextAsync(await staff.GetAsync("/staff"));
        var api = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}");

        Assert.Contains("<strong>Ended.</strong>", page);
        Assert.DoesNotContain("Live now", page);
        Assert.Contains("<p class=\"badge status-ended\">Ended</p>", topicPage);
        Assert.Contains("title=\"Stored status: Announced\">Ended</span>", dashboard);
        Assert.Equal("Announced", api.GetProperty("status").GetString());
        await app.WithDbAsync(async db => Assert.Equal(global::Webinars.Webinars.WebinarStatus.Announced, (await db.Webinars.SingleAsync(w => w.Slug == slug)).Status));
    }

    [Fact]
    public async Task WebinarPage_BetweenStartAndEnd_ReadsLiveNowThenEnded()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff))); // 14:00-15:00Z on 2027-01-12
        var before = await TextAsync(await app.CreateClient().GetAsync($"/webinars/{slug}"));
        string during, atTheEnd;
        try
        {
            app.Clock.Reset(NewYorkJan12 + Duration.FromMinutes(59));
            during = await TextAsync(await app.CreateClient().GetAsync($"/webinars/{slug}"));
            app.Clock.Reset(NewYorkJan12 + Duration.FromMinutes(60));
            atTheEnd = await TextAsync(await app.CreateClient().GetAsync($"/webinars/{slug}"));
        }
        finally
        {
            app.Clock.Reset(WebinarsApp.DefaultNow);
        }

        Assert.DoesNotContain("Live now", before);
        Assert.DoesNotContain("<strong>Ended.</strong>", before);
        Assert.Contains("<strong>Live now.</strong>", during);
        Assert.Contains("<strong>Ended.</strong>", atTheEnd);
        Assert.DoesNotContain("Live now", atTheEnd);
    }

    [Fact]
    public async Task StaffDashboard_Webinar_LinksItsRegistrantsAndTheEmailsPage()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));

        var html = await TextAsync(await staff.GetAsync("/staff"));

        Assert.Contains($"href=\"/staff/webinars/{slug}/registrants\"", html);
        Assert.Contains("href=\"/staff/emails\"", html);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/staff/webinars/{slug}/registrants")).StatusCode);
    }

    [Fact]
    public async Task WebinarPage_WithCapacity_SaysSeatsLeftThenFullWithWaitlist()
    {
        var staff = await app.CreateStaffClientAsync();
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff));
        body["capacity"] = 2;
        var slug = await TestData.CreateWebinarAsync(staff, body);
        var empty = await TextAsync(await app.CreateClient().GetAsync($"/webinars/{slug}"));
        foreach (var n in new[] { 1, 2 })
        {
            var registered = await app.CreateClient().PostAsJsonAsync($"/api/webinars/{slug}/registrations",
                new { name = $"Person {n}", email = $"seat{n}-{Guid.NewGuid():N}@example.org", timeZone = "Europe/Paris" });
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var full = await TextAsync(await app.CreateClient().GetAsync($"/webinars/{slug}"));

        Assert.Contains("2 seats left.", empty);
        Assert.Contains("Full — waitlist open", full);
    }

    [Theory]
    [InlineData("/staff")]
    [InlineData("/staff/webinars/new")]
    [InlineData("/staff/topics/new")]
    public async Task StaffPage_Anonymous_RedirectsToSignIn(string path)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/staff/signin", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StaffPage_Moderator_IsDenied()
    {
        var moderator = await app.CreateClientWithRoleAsync("Moderator");

        var response = await moderator.GetAsync("/staff/webinars/new");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task StaffWebinarForm_TextForNumbersAndUnknownZone_Returns400NamingFieldsAndSavesNothing()
    {
        var staff = await CreateStaffFormClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var title = $"Never Saved {Guid.NewGuid():N}";

        var response = await PostFormAsync(staff, "/staff/webinars/new", new()
        {
            ["Input.Topic"] = topic,
            ["Input.Title"] = title,
            ["Input.HostZone"] = "Mars/Olympus_Mons",
            ["Input.LocalStart"] = "2027-01-12T09:00",
            ["Input.DurationMinutes"] = "an hour",
            ["DisplayZonesText"] = "Europe/Paris, Nowhere/Special",
        });
        var html = await TextAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown time zone 'Mars/Olympus_Mons'", html);
        Assert.Contains("Unknown time zone 'Nowhere/Special'", html);
        Assert.Contains("'an hour' is not a whole number.", html);
        Assert.Contains($"value=\"{title}\"", html); // what was typed stays in the form
        await app.WithDbAsync(async db => Assert.False(await db.Webinars.AnyAsync(w => w.Title == title)));
    }

    [Fact]
    public async Task StaffWebinarForm_ValidInput_CreatesDraftThenEditMovesIt()
    {
        var staff = await CreateStaffFormClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var form = new Dictionary<string, string>
        {
            ["Input.Topic"] = topic,
            ["Input.Title"] = $"Made With The Form {Guid.NewGuid():N}",
            ["Input.HostZone"] = "Europe/Dublin",
            ["Input.LocalStart"] = "2027-07-01T14:00",
            ["Input.DurationMinutes"] = "90",
            ["DisplayZonesText"] = "Europe/Dublin America/New_York",
            ["Input.Speakers[0].Name"] = "Tuula Yrjölä",
            ["Input.Speakers[0].Honorific"] = "Ambassador",
            ["Input.Speakers[0].Role"] = "Speaker",
            ["Input.Speakers[1].Name"] = "",
            ["Input.Waitlist"] = "false",
        };

        var created = await PostFormAsync(staff, "/staff/webinars/new", form);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode); // followed the redirect to the edit page
        var slug = Regex.Match(created.RequestMessage!.RequestUri!.AbsolutePath, "^/staff/webinars/(.+)/edit$").Groups[1].Value;
        form["Input.LocalStart"] = "2027-07-01T15:00";
        var edited = await PostFormAsync(staff, $"/staff/webinars/{slug}/edit", form);

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        await app.WithDbAsync(async db =>
        {
            var w = await db.Webinars.Include(x => x.Speakers).SingleAsync(x => x.Slug == slug);
            Assert.Equal(Instant.FromUtc(2027, 7, 1, 14, 0), w.StartsAt); // 15:00 IST (UTC+1)
            Assert.Equal(["Europe/Dublin", "America/New_York"], w.DisplayZoneIds);
            Assert.False(w.Waitlist);
            Assert.Equal("Ambassador Tuula Yrjölä", Assert.Single(w.Speakers).DisplayName);
        });
    }

    [Fact]
    public async Task StaffWebinarForm_SavedBySomeoneElseMeanwhile_Answers409KeepsTheirValuesAndSaysSo()
    {
        var staff = await CreateStaffFormClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "As announced"));
        var opened = (await (await staff.GetAsync($"/api/webinars/{slug}")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
        var other = TestData.WebinarBody(topic, "Saved by a colleague");
        (await staff.PutAsJsonAsync($"/api/webinars/{slug}", other)).EnsureSuccessStatusCode();
        var form = new Dictionary<string, string>
        {
            ["Input.Version"] = opened.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Topic"] = topic,
            ["Input.Title"] = "Typed in the open form",
            ["Input.HostZone"] = "America/New_York",
            ["Input.LocalStart"] = "2027-01-12T09:00",
            ["Input.DurationMinutes"] = "60",
            ["DisplayZonesText"] = "America/New_York",
        };

        var response = await PostFormAsync(staff, $"/staff/webinars/{slug}/edit", form);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var page = await TextAsync(response);
        Assert.Contains("Someone else saved this webinar while you were editing it", page);
        Assert.Contains("Typed in the open form", page); // what this editor typed is still in the form
        var api = await (await staff.GetAsync($"/api/webinars/{slug}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Saved by a colleague", api.GetProperty("title").GetString());
    }

    [Fact]
    public async Task StaffDashboard_AnnounceThenCancel_ChangesStatusThroughWebinarService()
    {
        var staff = await CreateStaffFormClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)), announce: false);

        var announced = await PostFormAsync(staff, "/staff", new(), $"/staff?handler=Announce&slug={slug}");
        Assert.Contains("is announced", await TextAsync(announced));
        var cancelled = await PostFormAsync(staff, "/staff", new(), $"/staff?handler=Cancel&slug={slug}");
        Assert.Contains("is cancelled", await TextAsync(cancelled));

        var api = await (await app.CreateClient().GetAsync($"/api/webinars/{slug}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Cancelled", api.GetProperty("status").GetString());
    }

    [Fact]
    public async Task StaffDashboard_PostWithoutAntiforgeryToken_Returns400AndChangesNothing()
    {
        var staff = await CreateStaffFormClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)), announce: false);

        var response = await staff.PostAsync($"/staff?handler=Announce&slug={slug}", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/webinars/{slug}")).StatusCode);
    }

    [Fact]
    public async Task Preview_ValidInput_ReturnsHeadlineAndEveryDisplayZone()
    {
        var staff = await app.CreateStaffClientAsync();
        var expected = TimeText.For(NewYorkJan12, Duration.FromMinutes(60), DateTimeZoneProviders.Tzdb["Europe/Paris"]);

        var response = await staff.PostAsJsonAsync("/api/webinars/preview", new
        {
            hostZone = "America/New_York",
            localStart = "2027-01-12T09:00",
            durationMinutes = 60,
            displayZones = NewYorkAndParis,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var times = body.GetProperty("displayTimes").EnumerateArray().ToList();
        Assert.Equal(["America/New_York", "Europe/Paris"], times.Select(t => t.GetProperty("zone").GetString()));
        Assert.Equal(expected.Text, times[1].GetProperty("text").GetString());
        Assert.Equal(expected.Abbreviation, times[1].GetProperty("abbreviation").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("headline").GetString()));
    }

    [Fact]
    public async Task Preview_UnknownZoneAndNoDuration_Returns400NamingFields()
    {
        var staff = await app.CreateStaffClientAsync();

        var response = await staff.PostAsJsonAsync("/api/webinars/preview", new { hostZone = "Atlantis/Capital", localStart = "2027-01-12T09:00" });

        await Problems.AssertFieldErrorAsync(response, "hostZone");
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("durationMinutes", out _));
    }

    [Fact]
    public async Task Preview_Anonymous_Returns401()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/webinars/preview", new { hostZone = "America/New_York" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private Task<HttpClient> CreateStaffFormClientAsync() => StaffForms.CreateClientAsync(app);

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string formPage, Dictionary<string, string> fields, string? action = null) =>
        StaffForms.PostAsync(client, formPage, fields, action);

    private static Task<string> TextAsync(HttpResponseMessage response) => StaffForms.TextAsync(response);
}

public sealed class SqlitePagesTests(SqliteApp app) : PagesTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresPagesTests(PostgresApp app) : PagesTests(app), IClassFixture<PostgresApp>;
