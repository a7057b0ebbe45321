using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.ServiceModel.Syndication;
using System.Xml;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Feeds;

/// <summary>RSS and Atom as a feed reader sees them, over HTTP; once per database.</summary>
public abstract class FeedsTests(WebinarsApp app)
{
    private string SiteBase => app.Services.GetRequiredService<IConfiguration>()["Site:BaseUrl"]!.TrimEnd('/');

    [Fact]
    public async Task TopicRss_AnnouncedWebinar_ParsesWithTitleAbsoluteLinkAndStableGuid()
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff, $"Strategic Trust {Guid.NewGuid():N}");
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Trust in a Time of Rivalry"));

        var response = await app.CreateClient().GetAsync($"/topics/{topic}/feed.rss");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/rss+xml; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var xml = await response.Content.ReadAsStringAsync();
        Assert.Contains("<rss", xml);
        var item = Assert.Single(await LoadAsync(response));
        Assert.Equal("Trust in a Time of Rivalry", item.Title.Text);
        Assert.Equal(new Uri($"{SiteBase}/webinars/{slug}"), item.Links.Single().Uri);
        Assert.StartsWith("urn:webinars:webinar:", item.Id);
        Assert.StartsWith("Strategic Trust", item.Categories.Single().Name);
        Assert.Contains("9:00–10:00 AM EST", item.Summary.Text);
    }

    [Fact]
    public async Task TopicAtom_AnnouncedWebinar_ParsesWithTimeTextAndSanitisedSummary()
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var body = TestData.WebinarBody(topic, "Atom Webinar");
        body["summary"] = "A **frank** talk. <script>alert(1)</script>";
        var slug = await TestData.CreateWebinarAsync(staff, body);

        var response = await app.CreateClient().GetAsync($"/topics/{topic}/feed.atom");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var xml = await response.Content.ReadAsStringAsync();
        Assert.Contains("xmlns=\"http://www.w3.org/2005/Atom\"", xml);
        var feed = await LoadFeedAsync(response);
        Assert.Equal($"{SiteBase}/topics/{topic}/feed.atom", feed.Links.Single(l => l.RelationshipType == "self").Uri.ToString());
        var item = Assert.Single(feed.Items);
        Assert.Equal("Atom Webinar", item.Title.Text);
        Assert.Equal(new Uri($"{SiteBase}/webinars/{slug}"), item.Links.Single().Uri);
        var summary = ((TextSyndicationContent)item.Summary).Text;
        Assert.Contains("Tuesday, January 12, 2027, 9:00–10:00 AM EST (3:00–4:00 PM CET)", summary);
        Assert.Contains("<strong>frank</strong>", summary);
        Assert.DoesNotContain("<script", summary);
    }

    [Fact]
    public async Task TopicRss_SeveralWebinars_NewestStartFirst()
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Middle", "2027-02-01T10:00:00"));
        await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Latest", "2027-03-01T10:00:00"));
        await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Earliest", "2020-12-07T09:00:00"));

        var items = await LoadAsync(await app.CreateClient().GetAsync($"/topics/{topic}/feed.rss"));

        Assert.Equal(["Latest", "Middle", "Earliest"], items.Select(i => i.Title.Text));
    }

    [Fact]
    public async Task SiteRss_WebinarsInTwoTopics_ListsBoth()
    {
        var staff = await app.CreateStaffClientAsync();
        var first = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff), $"First {Guid.NewGuid():N}"));
        var second = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff), $"Second {Guid.NewGuid():N}"));

        var response = await app.CreateClient().GetAsync("/feed.rss");

        Assert.Equal("application/rss+xml; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var links = (await LoadAsync(response)).Select(i => i.Links.Single().Uri.ToString()).ToList();
        Assert.Contains($"{SiteBase}/webinars/{first}", links);
        Assert.Contains($"{SiteBase}/webinars/{second}", links);
    }

    [Fact]
    public async Task Feeds_Draft_IsNotListedEvenForStaff()
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var title = $"Secret Draft {Guid.NewGuid():N}";
        await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, title), announce: false);

        Assert.Empty(await LoadAsync(await app.CreateClient().GetAsync($"/topics/{topic}/feed.rss")));
        Assert.Empty(await LoadAsync(await staff.GetAsync($"/topics/{topic}/feed.atom")));
        Assert.DoesNotContain(title, await (await app.CreateClient().GetAsync("/feed.rss")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TopicRss_Cancelled_StaysWithCancelledPrefix()
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, "Called Off"));
        (await staff.PostAsync($"/api/webinars/{slug}/cancel", null)).EnsureSuccessStatusCode();

        var item = Assert.Single(await LoadAsync(await app.CreateClient().GetAsync($"/topics/{topic}/feed.rss")));

        Assert.Equal("Cancelled: Called Off", item.Title.Text);
    }

    [Theory]
    [InlineData("/topics/no-such-topic/feed.rss")]
    [InlineData("/topics/no-such-topic/feed.atom")]
    [InlineData("/topics/no-such-topic/calendar.ics")]
    [InlineData("/webinars/no-such-webinar.ics")]
    [InlineData("/topics/Not%20A%20Slug/feed.atom")]
    [InlineData("/webinars/x%27%20OR%20%271%27%3D%271.ics")]
    [InlineData("/webinars/%E2%82%AC%27%3B.ics")]
    [InlineData("/topics/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/calendar.ics")]
    public async Task Feeds_UnknownSlug_Returns404(string path)
    {
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TopicRss_UnchangedSinceLastFetch_Returns304UntilAWebinarChanges()
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var body = TestData.WebinarBody(topic, "Before");
        var slug = await TestData.CreateWebinarAsync(staff, body);
        var client = app.CreateClient();
        var first = await client.GetAsync($"/topics/{topic}/feed.rss");
        var etag = first.Headers.ETag!;

        var again = await SendConditionalAsync(client, $"/topics/{topic}/feed.rss", etag);
        body["title"] = "After";
        (await staff.PutAsJsonAsync($"/api/webinars/{slug}", body)).EnsureSuccessStatusCode();
        var changed = await SendConditionalAsync(client, $"/topics/{topic}/feed.rss", etag);

        Assert.NotNull(first.Content.Headers.LastModified);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("After", Assert.Single(await LoadAsync(changed)).Title.Text);
    }

    private static async Task<HttpResponseMessage> SendConditionalAsync(HttpClient client, string path, EntityTagHeaderValue etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(etag);
        return await client.SendAsync(request);
    }

    protected static async Task<List<SyndicationItem>> LoadAsync(HttpResponseMessage response) => (await LoadFeedAsync(response)).Items.ToList();

    private static async Task<SyndicationFeed> LoadFeedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = XmlReader.Create(stream);
        return SyndicationFeed.Load(reader);
    }
}

public sealed class SqliteFeedsTests(SqliteApp app) : FeedsTests(app), IClassFixture<SqliteApp>
{
    [Fact]
    public async Task TopicRss_SiteBaseUrlConfigured_LinksUseItWithoutDoubleSlash()
    {
        using var configured = app.WithWebHostBuilder(b => b.UseSetting("Site:BaseUrl", "https://institute.example.org/"));
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic));

        var item = Assert.Single(await LoadAsync(await configured.CreateClient().GetAsync($"/topics/{topic}/feed.rss")));

        Assert.Equal(new Uri($"https://institute.example.org/webinars/{slug}"), item.Links.Single().Uri);
    }
}

public sealed class PostgresFeedsTests(PostgresApp app) : FeedsTests(app), IClassFixture<PostgresApp>;
