using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Webinars;

/// <summary>The webinars API as a client sees it; runs once per database (see the subclasses at the end).</summary>
public abstract class WebinarsApiTests(WebinarsApp app)
{
    [Fact]
    public async Task Create_ValidBody_Returns201DraftWithDerivedInstant()
    {
        var staff = await app.StaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);

        var response = await staff.PostAsJsonAsync("/api/webinars", TestData.WebinarBody(topic, title: "Trust & Rivalry: 2027"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var slug = body.GetProperty("slug").GetString();
        Assert.StartsWith("trust-rivalry-2027", slug);
        Assert.Equal($"/api/webinars/{slug}", response.Headers.Location?.OriginalString);
        Assert.Equal("Draft", body.GetProperty("status").GetString());
        Assert.Equal(topic, body.GetProperty("topic").GetProperty("slug").GetString());
        Assert.Equal("2027-01-12T09:00:00", body.GetProperty("localStart").GetString());
        Assert.Equal("2027-01-12T14:00:00Z", body.GetProperty("startUtc").GetString());
        Assert.Equal("2027-01-12T15:00:00Z", body.GetProperty("endUtc").GetString());
        Assert.Equal("America/New_York", body.GetProperty("hostZone").GetString());
        Assert.Equal(0, body.GetProperty("sequence").GetInt32());
        Assert.Contains("<strong>frank</strong>", body.GetProperty("summaryHtml").GetString());
    }

    [Fact]
    public async Task Create_SameTitleAtOnce_EachGetsItsOwnSlug()
    {
        var staff = await app.StaffClientAsync();
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff), title: $"Rush {Guid.NewGuid():N}");

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => staff.PostAsJsonAsync("/api/webinars", body)));

        var slugs = new List<string>();
        foreach (var response in responses) slugs.Add((await ReadJsonAsync(response, HttpStatusCode.Created)).GetProperty("slug").GetString()!);
        Assert.Equal(16, slugs.Distinct().Count());
    }

    [Fact]
    public async Task Create_Speakers_KeepHonorificAffiliationRoleAndOrder()
    {
        var staff = await app.StaffClientAsync();
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff));
        body["speakers"] = new object[]
        {
            new { name = "Mark Meirowitz", honorific = "Dr.", affiliation = "SUNY Maritime College", role = "Discussant" },
            new { name = "Izumi Nakamitsu", honorific = "Hon.", affiliation = "United Nations", role = "Speaker" },
            new { name = "Bruce McConnell", honorific = "", affiliation = "EastWest Institute", role = "moderator" },
        };

        var created = await ReadJsonAsync(await staff.PostAsJsonAsync("/api/webinars", body), HttpStatusCode.Created);
        var fetched = await ReadJsonAsync(await staff.GetAsync($"/api/webinars/{created.GetProperty("slug").GetString()}"), HttpStatusCode.OK);

        foreach (var webinar in new[] { created, fetched })
        {
            var speakers = webinar.GetProperty("speakers").EnumerateArray().ToList();
            Assert.Equal(["Mark Meirowitz", "Izumi Nakamitsu", "Bruce McConnell"], speakers.Select(s => s.GetProperty("name").GetString()));
            Assert.Equal(["Dr.", "Hon.", ""], speakers.Select(s => s.GetProperty("honorific").GetString()));
            Assert.Equal(["SUNY Maritime College", "United Nations", "EastWest Institute"], speakers.Select(s => s.GetProperty("affiliation").GetString()));
            Assert.Equal(["Discussant", "Speaker", "Moderator"], speakers.Select(s => s.GetProperty("role").GetString()));
            Assert.Equal("Dr. Mark Meirowitz", speakers[0].GetProperty("displayName").GetString());
        }
    }

    [Fact]
    public async Task Create_SummaryWithScriptAndJavascriptLink_IsSanitised()
    {
        var staff = await app.StaffClientAsync();
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff));
        body["summary"] = "Hello <script>alert('x')</script> world.\n\n[click](javascript:alert(1)) and [the institute](https://example.org/about).\n\n<a href=\"javascript:alert(2)\">raw</a>";

        var webinar = await ReadJsonAsync(await staff.PostAsJsonAsync("/api/webinars", body), HttpStatusCode.Created);

        var html = webinar.GetProperty("summaryHtml").GetString()!;
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        // Raw HTML is shown as escaped text; the Markdown link keeps its words and loses its javascript: target.
        Assert.Contains("&lt;script&gt;", html);
        var anchors = Regex.Matches(html, "<a\\s[^>]*>").Select(m => m.Value).ToList();
        Assert.NotEmpty(anchors);
        Assert.All(anchors, a => Assert.DoesNotContain("javascript", a, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("click", html);
        Assert.Contains("href=\"https://example.org/about\"", html);
    }

    [Fact]
    public async Task Create_DisplayZones_GiveZoneAbbreviationLocalTimesTextAndHeadline()
    {
        var staff = await app.StaffClientAsync();

        var webinar = await ReadJsonAsync(
            await staff.PostAsJsonAsync("/api/webinars", TestData.WebinarBody(await TestData.CreateTopicAsync(staff))), HttpStatusCode.Created);

        var times = webinar.GetProperty("displayTimes").EnumerateArray().ToList();
        Assert.Equal(["America/New_York", "Europe/Paris"], times.Select(t => t.GetProperty("zone").GetString()));
        Assert.Equal(["EST", "CET"], times.Select(t => t.GetProperty("abbreviation").GetString()));
        Assert.Equal(["2027-01-12T09:00:00", "2027-01-12T15:00:00"], times.Select(t => t.GetProperty("localStart").GetString()));
        Assert.Equal(["2027-01-12T10:00:00", "2027-01-12T16:00:00"], times.Select(t => t.GetProperty("localEnd").GetString()));
        Assert.Contains("EST", times[0].GetProperty("text").GetString());
        Assert.Contains("9:00", times[0].GetProperty("text").GetString());
        Assert.Contains("CET", times[1].GetProperty("text").GetString());
        var headline = webinar.GetProperty("headline").GetString()!;
        Assert.Contains("January 12, 2027", headline);
        Assert.Contains("EST", headline);
        Assert.Contains("CET", headline);
        Assert.Equal(JsonValueKind.Null, webinar.GetProperty("viewerTime").ValueKind);
    }

    [Fact]
    public async Task Get_WithTz_IncludesTheViewersTime()
    {
        var staff = await app.StaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));

        var webinar = await ReadJsonAsync(await app.CreateClient().GetAsync($"/api/webinars/{slug}?tz=Asia/Tokyo"), HttpStatusCode.OK);

        var viewer = webinar.GetProperty("viewerTime");
        Assert.Equal("Asia/Tokyo", viewer.GetProperty("zone").GetString());
        Assert.Equal("JST", viewer.GetProperty("abbreviation").GetString());
        Assert.Equal("2027-01-12T23:00:00", viewer.GetProperty("localStart").GetString());
        Assert.Equal("2027-01-13T00:00:00", viewer.GetProperty("localEnd").GetString());
        Assert.Contains("JST", viewer.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Get_UnknownTz_Returns400NamingTz()
    {
        var staff = await app.StaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));

        var response = await app.CreateClient().GetAsync($"/api/webinars/{slug}?tz=Mars/Olympus_Mons");

        Assert.Contains("Mars/Olympus_Mons", await Problems.AssertFieldErrorAsync(response, "tz"));
    }

    [Fact]
    public async Task List_UpcomingAndPast_SplitAtNowAndFilterByTopic()
    {
        var staff = await app.StaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        // The clock says 2026-11-29T12:00Z, 07:00 in New York.
        var older = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Older", "2026-11-01T09:00:00"));
        var justEnded = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Just ended", "2026-11-29T05:00:00"));
        var running = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Running", "2026-11-29T06:30:00"));
        var future = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Future", "2027-01-12T09:00:00"));
        await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff), "Elsewhere"));
        var anonymous = app.CreateClient();

        var upcoming = await SlugsAsync(anonymous, $"/api/webinars?when=upcoming&topic={topic}");
        var defaulted = await SlugsAsync(anonymous, $"/api/webinars?topic={topic}");
        var past = await SlugsAsync(anonymous, $"/api/webinars?when=past&topic={topic}");

        Assert.Equal([running, future], upcoming);
        Assert.Equal(upcoming, defaulted);
        Assert.Equal([justEnded, older], past);
    }

    [Theory]
    [InlineData("?when=tomorrow", "when")]
    [InlineData("?when=", "when")]
    [InlineData("?when=upcoming&tz=Mars/Base", "tz")]
    public async Task List_BadQuery_Returns400NamingTheParameter(string query, string field)
    {
        var response = await app.CreateClient().GetAsync("/api/webinars" + query);

        await Problems.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task List_WithTz_GivesEachWebinarTheViewersTime()
    {
        var staff = await app.StaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic));

        var list = await ReadJsonAsync(await app.CreateClient().GetAsync($"/api/webinars?topic={topic}&tz=Asia/Kathmandu"), HttpStatusCode.OK);

        var viewer = Assert.Single(list.EnumerateArray()).GetProperty("viewerTime");
        Assert.Equal("Asia/Kathmandu", viewer.GetProperty("zone").GetString());
        Assert.Equal("2027-01-12T19:45:00", viewer.GetProperty("localStart").GetString());
    }

    [Fact]
    public async Task Update_MalformedJson_Returns400AndChangesNothing()
    {
        var staff = await app.StaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Untouched"), announce: false);

        var response = await staff.PutAsync($"/api/webinars/{slug}", new StringContent("{\"title\": \"Changed\", \"capacity\": \"many\"}", System.Text.Encoding.UTF8, "application/json"));

        await Problems.AssertFieldErrorAsync(response, "capacity");
        await AssertUntouchedAsync(staff, topic, slug);
    }

    [Fact]
    public async Task Update_BadField_Returns400AndChangesNothing()
    {
        var staff = await app.StaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Untouched"), announce: false);
        var body = TestData.WebinarBody(topic, "Changed", localStart: "2027-03-14T02:30:00");

        var response = await staff.PutAsJsonAsync($"/api/webinars/{slug}", body);

        await Problems.AssertFieldErrorAsync(response, "localStart");
        await AssertUntouchedAsync(staff, topic, slug);
    }

    [Fact]
    public async Task List_Draft_HiddenFromThePublicShownToStaff()
    {
        var staff = await app.StaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var draft = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Still a draft"), announce: false);

        Assert.Empty(await SlugsAsync(app.CreateClient(), $"/api/webinars?topic={topic}"));
        Assert.Equal([draft], await SlugsAsync(staff, $"/api/webinars?topic={topic}"));
    }

    [Fact]
    public async Task Get_Draft_IsNotFoundForThePublic()
    {
        var staff = await app.StaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)), announce: false);

        var response = await app.CreateClient().GetAsync($"/api/webinars/{slug}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/webinars/{slug}")).StatusCode);
    }

    [Fact]
    public async Task Update_ValidBody_ReplacesTheDetails()
    {
        var staff = await app.StaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic), announce: false);
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff), title: "Renamed", localStart: "2027-02-01T10:00:00");
        body["hostZone"] = "Europe/Paris";
        body["displayZones"] = new[] { "Europe/Paris" };
        body["speakers"] = new object[] { new { name = "Nvard Chalikyan", honorific = "", affiliation = "EWI", role = "Discussant" } };
        body["capacity"] = null;

        var response = await staff.PutAsJsonAsync($"/api/webinars/{slug}", body);

        var updated = await ReadJsonAsync(response, HttpStatusCode.OK);
        var fetched = await ReadJsonAsync(await staff.GetAsync($"/api/webinars/{slug}"), HttpStatusCode.OK);
        foreach (var webinar in new[] { updated, fetched })
        {
            Assert.Equal(slug, webinar.GetProperty("slug").GetString());
            Assert.Equal("Renamed", webinar.GetProperty("title").GetString());
            Assert.Equal(body["topic"], webinar.GetProperty("topic").GetProperty("slug").GetString());
            Assert.Equal("Europe/Paris", webinar.GetProperty("hostZone").GetString());
            Assert.Equal("2027-02-01T09:00:00Z", webinar.GetProperty("startUtc").GetString());
            Assert.Equal(JsonValueKind.Null, webinar.GetProperty("capacity").ValueKind);
            Assert.Equal(["Nvard Chalikyan"], webinar.GetProperty("speakers").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
            Assert.Equal("Draft", webinar.GetProperty("status").GetString());
            Assert.Equal(0, webinar.GetProperty("sequence").GetInt32());
        }
    }

    [Fact]
    public async Task Update_AnnouncedWebinarMoved_BumpsSequence()
    {
        var staff = await app.StaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic));

        var moved = await ReadJsonAsync(await staff.PutAsJsonAsync($"/api/webinars/{slug}", TestData.WebinarBody(topic, localStart: "2027-01-13T09:00:00")), HttpStatusCode.OK);
        var retitled = await ReadJsonAsync(await staff.PutAsJsonAsync($"/api/webinars/{slug}", TestData.WebinarBody(topic, title: "New title", localStart: "2027-01-13T09:00:00")), HttpStatusCode.OK);

        Assert.Equal("2027-01-13T14:00:00Z", moved.GetProperty("startUtc").GetString());
        Assert.Equal(1, moved.GetProperty("sequence").GetInt32());
        Assert.Equal("Announced", moved.GetProperty("status").GetString());
        Assert.Equal(1, retitled.GetProperty("sequence").GetInt32());
    }

    [Fact]
    public async Task Update_TwoEditorsFromTheSameVersion_SecondGets409WithTheFirstOnesValues()
    {
        var staff = await app.StaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "As announced"));
        var read = (await ReadJsonAsync(await staff.GetAsync($"/api/webinars/{slug}"), HttpStatusCode.OK)).GetProperty("version").GetInt32();
        var first = TestData.WebinarBody(topic, "First editor's title");
        first["version"] = read;
        var second = TestData.WebinarBody(topic, "Second editor's title");
        second["version"] = read;

        var saved = await ReadJsonAsync(await staff.PutAsJsonAsync($"/api/webinars/{slug}", first), HttpStatusCode.OK);
        var refused = await staff.PutAsJsonAsync($"/api/webinars/{slug}", second);

        var problem = await Problems.AssertProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal("First editor's title", problem.GetProperty("current").GetProperty("title").GetString());
        Assert.Equal(read + 1, saved.GetProperty("version").GetInt32());
        Assert.Equal(read + 1, problem.GetProperty("current").GetProperty("version").GetInt32());
        var webinar = await ReadJsonAsync(await staff.GetAsync($"/api/webinars/{slug}"), HttpStatusCode.OK);
        Assert.Equal("First editor's title", webinar.GetProperty("title").GetString());

        second["version"] = read + 1; // redone on top of the first editor's change
        var redone = await ReadJsonAsync(await staff.PutAsJsonAsync($"/api/webinars/{slug}", second), HttpStatusCode.OK);
        Assert.Equal("Second editor's title", redone.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Update_CancelledWebinar_Returns409AndChangesNothing()
    {
        var staff = await app.StaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Called off"));
        (await staff.PostAsync($"/api/webinars/{slug}/cancel", null)).EnsureSuccessStatusCode();

        var response = await staff.PutAsJsonAsync($"/api/webinars/{slug}", TestData.WebinarBody(topic, "Revived"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict);
        var webinar = await ReadJsonAsync(await staff.GetAsync($"/api/webinars/{slug}"), HttpStatusCode.OK);
        Assert.Equal("Called off", webinar.GetProperty("title").GetString());
        Assert.Equal("Cancelled", webinar.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Announce_Draft_BecomesAnnouncedAndPublic()
    {
        var staff = await app.StaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)), announce: false);

        var announced = await ReadJsonAsync(await staff.PostAsync($"/api/webinars/{slug}/announce", null), HttpStatusCode.OK);

        Assert.Equal("Announced", announced.GetProperty("status").GetString());
        var seen = await ReadJsonAsync(await app.CreateClient().GetAsync($"/api/webinars/{slug}"), HttpStatusCode.OK);
        Assert.Equal("Announced", seen.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("joinUrl").ValueKind);
    }

    [Fact]
    public async Task Announce_Twice_Returns409()
    {
        var staff = await app.StaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));

        var response = await staff.PostAsync($"/api/webinars/{slug}/announce", null);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Cancel_Announced_BecomesCancelledWithSequenceBumped()
    {
        var staff = await app.StaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));
        var before = await ReadJsonAsync(await staff.GetAsync($"/api/webinars/{slug}"), HttpStatusCode.OK);

        var cancelled = await ReadJsonAsync(await staff.PostAsync($"/api/webinars/{slug}/cancel", null), HttpStatusCode.OK);

        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(before.GetProperty("sequence").GetInt32() + 1, cancelled.GetProperty("sequence").GetInt32());
        var seen = await ReadJsonAsync(await app.CreateClient().GetAsync($"/api/webinars/{slug}"), HttpStatusCode.OK);
        Assert.Equal("Cancelled", seen.GetProperty("status").GetString());
        await Problems.AssertProblemAsync(await staff.PostAsync($"/api/webinars/{slug}/cancel", null), HttpStatusCode.Conflict);
        await Problems.AssertProblemAsync(await staff.PostAsync($"/api/webinars/{slug}/announce", null), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Cancel_SeveralAtOnce_OneWinsAndTheOthersGet409()
    {
        var staff = await app.StaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => staff.PostAsync($"/api/webinars/{slug}/cancel", null)));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Conflict));
        var webinar = await ReadJsonAsync(await staff.GetAsync($"/api/webinars/{slug}"), HttpStatusCode.OK);
        Assert.Equal(1, webinar.GetProperty("sequence").GetInt32());
    }

    [Fact]
    public async Task Update_SeveralMovesAtOnce_NoneFailsWith500AndSequenceCountsTheWinners()
    {
        var staff = await app.StaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic));

        var responses = await Task.WhenAll(Enumerable.Range(1, 6).Select(day =>
            staff.PutAsJsonAsync($"/api/webinars/{slug}", TestData.WebinarBody(topic, localStart: $"2027-02-0{day}T09:00:00"))));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Conflict, s.ToString()));
        var webinar = await ReadJsonAsync(await staff.GetAsync($"/api/webinars/{slug}"), HttpStatusCode.OK);
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.OK), webinar.GetProperty("sequence").GetInt32());
    }

    [Theory]
    [InlineData("POST", "")]
    [InlineData("PUT", "/{slug}")]
    [InlineData("POST", "/{slug}/announce")]
    [InlineData("POST", "/{slug}/cancel")]
    public async Task StaffEndpoint_Anonymous_Returns401AndChangesNothing(string method, string path)
    {
        var staff = await app.StaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Untouched"), announce: false);

        var response = await SendAsync(app.CreateClient(), method, path.Replace("{slug}", slug), TestData.WebinarBody(topic, "Changed"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertUntouchedAsync(staff, topic, slug);
    }

    [Theory]
    [InlineData("POST", "")]
    [InlineData("PUT", "/{slug}")]
    [InlineData("POST", "/{slug}/announce")]
    [InlineData("POST", "/{slug}/cancel")]
    public async Task StaffEndpoint_Moderator_Returns403AndChangesNothing(string method, string path)
    {
        var staff = await app.StaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Untouched"), announce: false);

        var response = await SendAsync(await app.ModeratorClientAsync(), method, path.Replace("{slug}", slug), TestData.WebinarBody(topic, "Changed"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertUntouchedAsync(staff, topic, slug);
    }

    [Theory]
    [InlineData("GET", "", false)]
    [InlineData("GET", "", true)]
    [InlineData("PUT", "", true)]
    [InlineData("POST", "/announce", true)]
    [InlineData("POST", "/cancel", true)]
    public async Task UnknownSlug_Returns404(string method, string suffix, bool asStaff)
    {
        var staff = await app.StaffClientAsync();
        var client = asStaff ? staff : app.CreateClient();
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff));

        var response = await SendAsync(client, method, "/no-such-webinar" + suffix, body);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task AssertUntouchedAsync(HttpClient staff, string topic, string slug)
    {
        var webinar = await ReadJsonAsync(await staff.GetAsync($"/api/webinars/{slug}"), HttpStatusCode.OK);
        Assert.Equal("Untouched", webinar.GetProperty("title").GetString());
        Assert.Equal("Draft", webinar.GetProperty("status").GetString());
        Assert.Equal([slug], await SlugsAsync(staff, $"/api/webinars?topic={topic}"));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, object body) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/api/webinars" + path)
        {
            Content = method == "GET" ? null : JsonContent.Create(body),
        });

    internal static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    internal static async Task<List<string>> SlugsAsync(HttpClient client, string url)
    {
        var list = await ReadJsonAsync(await client.GetAsync(url), HttpStatusCode.OK);
        return list.EnumerateArray().Select(w => w.GetProperty("slug").GetString()!).ToList();
    }
}

public sealed class SqliteWebinarsApiTests(SqliteApp app) : WebinarsApiTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresWebinarsApiTests(PostgresApp app) : WebinarsApiTests(app), IClassFixture<PostgresApp>;
