using System.Net;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Pages;

/// <summary>What readers expect of the announcement, topic and home pages, on the HTML the server renders; once per database.</summary>
public abstract class ReaderPagesTests(WebinarsApp app)
{
    [Fact]
    public async Task WebinarPage_ReaderInTokyo_YourTimeFirstEachZoneOnceAndRegisterNearTheTop()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));

        var html = await TextAsync(await app.CreateClient().GetAsync($"/webinars/{slug}?tz=Asia/Tokyo"));

        var yourTime = html.IndexOf("class=\"your-time\"", StringComparison.Ordinal);
        var zones = html.IndexOf("class=\"zones\"", StringComparison.Ordinal);
        var register = html.IndexOf("href=\"#register\"", StringComparison.Ordinal);
        Assert.InRange(yourTime, 0, zones);
        Assert.InRange(register, zones, html.IndexOf("class=\"summary", StringComparison.Ordinal));
        Assert.Equal(1, Count(html, "Tuesday, January 12, 2027, 3:00–4:00 PM CET")); // Paris, once
        Assert.Equal(1, Count(html, "Tuesday, January 12, 2027, 9:00–10:00 AM EST")); // the host zone, once
        Assert.Contains("data-share-url=\"http://localhost:5080/webinars/" + slug + "\"", html, StringComparison.Ordinal);
        Assert.Contains("data-calendar=\"google\"", html, StringComparison.Ordinal);
        Assert.Contains("startdt=2027-01-12T14:00:00Z&amp;enddt=2027-01-12T15:00:00Z", await RawAsync($"/webinars/{slug}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebinarAndTopicPages_SharedLink_CarryOpenGraphAndTwitterCardTags()
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff, $"Arms Control {Guid.NewGuid():N}");
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Trust in a Time of Rivalry"));

        var webinar = await RawAsync($"/webinars/{slug}");
        var topicPage = await RawAsync($"/topics/{topic}");

        Assert.Contains("<meta property=\"og:title\" content=\"Trust in a Time of Rivalry\" />", webinar, StringComparison.Ordinal);
        Assert.Contains("<meta property=\"og:description\" content=\"A frank discussion.\" />", webinar, StringComparison.Ordinal);
        Assert.Contains($"<meta property=\"og:url\" content=\"http://localhost:5080/webinars/{slug}\" />", webinar, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"twitter:card\" content=\"summary\" />", webinar, StringComparison.Ordinal);
        Assert.Contains($"<meta property=\"og:url\" content=\"http://localhost:5080/topics/{topic}\" />", topicPage, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"twitter:description\" content=\"About trust.\" />", topicPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cards_OpenRegistration_ShowSeatsLeftAndWhenRegistrationCloses()
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var body = TestData.WebinarBody(topic, $"Cards {Guid.NewGuid():N}");
        body["capacity"] = 40;
        body["registrationClosesAt"] = "2027-01-11T22:00:00Z";
        await TestData.CreateWebinarAsync(staff, body);
        var reader = app.CreateClient();

        var home = await TextAsync(await reader.GetAsync("/?tz=Europe/Paris"));
        var topicPage = await TextAsync(await reader.GetAsync($"/topics/{topic}"));

        foreach (var html in new[] { home, topicPage })
        {
            Assert.Contains("40 seats left", html, StringComparison.Ordinal);
            Assert.Contains("Registration closes <time datetime=\"2027-01-11T22:00:00Z\">Monday, January 11, 2027, 11:00 PM CET</time>", html, StringComparison.Ordinal);
        }
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private async Task<string> RawAsync(string path)
    {
        var response = await app.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> TextAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}

public sealed class SqliteReaderPagesTests(SqliteApp app) : ReaderPagesTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresReaderPagesTests(PostgresApp app) : ReaderPagesTests(app), IClassFixture<PostgresApp>;
