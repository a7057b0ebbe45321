using System.Net;
using System.Net.Http.Json;
using System.ServiceModel.Syndication;
using System.Text.Json;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using Webinars.Email;
using Webinars.Publishing;
using Webinars.Tests.Email;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Publishing;

/// <summary>Recording, recap and publishing over HTTP, with the seed's webinar and its Q&amp;A; once per database.</summary>
public abstract class PublishingApiTests(WebinarsApp app, SmtpSink smtp)
{
    private const string VideoId = "dQw4w9WgXcQ";

    [Fact]
    public async Task SetRecording_ShareLinkWithTime_AnswersIdUrlAndNoCookieEmbed()
    {
        var staff = await app.CreateStaffClientAsync();
        var seed = await PublishingFixture.CreateAsync(app);

        var response = await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recording", new { youtubeUrl = $"https://youtu.be/{VideoId}?si=abc&t=42" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(VideoId, body.GetProperty("videoId").GetString());
        Assert.Equal($"https://www.youtube.com/watch?v={VideoId}", body.GetProperty("url").GetString());
        Assert.Equal($"https://www.youtube-nocookie.com/embed/{VideoId}", body.GetProperty("embedUrl").GetString());
    }

    [Theory]
    [InlineData("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://www.youtube.com/playlist?list=PL1234567890")]
    [InlineData("")]
    public async Task SetRecording_NotAVideoLink_400NamingYoutubeUrlAndChangesNothing(string url)
    {
        var staff = await app.CreateStaffClientAsync();
        var seed = await PublishingFixture.CreateAsync(app);

        var response = await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recording", new { youtubeUrl = url });

        var message = await Problems.AssertFieldErrorAsync(response, "youtubeUrl");
        Assert.Contains("youtu.be/ID", message);
        await app.WithDbAsync(async db => Assert.Null((await db.Webinars.SingleAsync(w => w.Id == seed.Id)).Publication?.VideoId));
    }

    [Fact]
    public async Task SetRecording_Anonymous_IsRefused()
    {
        var seed = await PublishingFixture.CreateAsync(app);

        var response = await app.CreateClient().PutAsJsonAsync($"/api/webinars/{seed.Slug}/recording", new { youtubeUrl = $"https://youtu.be/{VideoId}" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Draft_SeedWebinar_HasTimesPeopleAndAnsweredQuestionAtItsMoment()
    {
        var staff = await app.CreateStaffClientAsync();
        var seed = await PublishingFixture.CreateAsync(app);
        await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recording", new { youtubeUrl = $"https://www.youtube.com/watch?v={VideoId}", videoOffsetSeconds = 120 });

        var markdown = (await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{seed.Slug}/recap/draft")).GetProperty("markdown").GetString()!;

        Assert.StartsWith("On Monday, December 7, 2020, 9:00–10:00 AM EST (3:00–4:00 PM CET)", markdown);
        Assert.Contains("Hon. Izumi Nakamitsu (Under-Secretary-General and High Representative for Disarmament Affairs, United Nations)", markdown);
        Assert.Contains("Ambassador Tuula Yrjölä", markdown);
        Assert.Contains("moderated by Bruce McConnell (President and CEO, EastWest Institute)", markdown);
        Assert.Contains("Discussants included Dr. Mark Meirowitz", markdown);
        Assert.Contains("Nvard Chalikyan", markdown);
        // Answered 25 minutes in; the video started 2 minutes after the webinar: 1500 − 120 = 1380 s.
        Assert.Contains($"“Will Track 2 diplomacy ever be conducted as before the pandemic?” (Alice) ([watch the answer](https://www.youtube.com/watch?v={VideoId}&t=1380s))", markdown);
        var unanswered = markdown[markdown.IndexOf("## Questions we did not get to", StringComparison.Ordinal)..];
        Assert.Contains("“Why has the pandemic divided rather than united?”", unanswered);
        Assert.DoesNotContain("Bob", markdown); // asked anonymously
        Assert.Contains($"[Watch the full webinar on YouTube](https://www.youtube.com/watch?v={VideoId})", markdown);
    }

    [Fact]
    public async Task SaveRecap_TwoEdits_TwoRevisionsWithWhoAndSanitisedHtml()
    {
        var staff = await app.CreateStaffClientAsync();
        var seed = await PublishingFixture.CreateAsync(app);

        var first = await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recap", new { markdown = "First **draft**" });
        var second = await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recap", new { markdown = "Second <script>alert(1)</script> [x](javascript:alert(2))" });

        Assert.Equal(1, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32());
        var body = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("revision").GetInt32());
        Assert.StartsWith("staff-", body.GetProperty("editedBy").GetString());
        var html = body.GetProperty("html").GetString()!;
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("javascript:", html);
        var revisions = await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{seed.Slug}/recap/revisions");
        Assert.Equal([2, 1], revisions.EnumerateArray().Select(r => r.GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task SaveRecap_Empty_400NamingMarkdown()
    {
        var staff = await app.CreateStaffClientAsync();
        var seed = await PublishingFixture.CreateAsync(app);

        await Problems.AssertFieldErrorAsync(await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recap", new { markdown = " " }), "markdown");
    }

    [Fact]
    public async Task Publish_WithoutRecording_400NamingYoutubeUrl()
    {
        var staff = await app.CreateStaffClientAsync();
        var seed = await PublishingFixture.CreateAsync(app);
        await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recap", new { markdown = "Recap" });

        await Problems.AssertFieldErrorAsync(await staff.PostAsync($"/api/webinars/{seed.Slug}/recap/publish", null), "youtubeUrl");
    }

    [Fact]
    public async Task Publish_WebinarJsonCarriesRecordingAndRecap_EditAfterwardsShowsUpdated()
    {
        var staff = await app.CreateStaffClientAsync();
        var seed = await PublishingFixture.CreateAsync(app);
        var before = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/webinars/{seed.Slug}");
        Assert.Equal(JsonValueKind.Null, before.GetProperty("recording").ValueKind);
        await PublishAsync(staff, seed, "The panel discussed **multilateralism**.");

        var after = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/webinars/{seed.Slug}");

        Assert.Equal(VideoId, after.GetProperty("recording").GetProperty("videoId").GetString());
        Assert.Equal($"https://www.youtube-nocookie.com/embed/{VideoId}", after.GetProperty("recording").GetProperty("embedUrl").GetString());
        Assert.Contains("<strong>multilateralism</strong>", after.GetProperty("recap").GetProperty("html").GetString());
        Assert.Equal(app.Clock.GetCurrentInstant().ToString(), after.GetProperty("recap").GetProperty("publishedAt").GetString());
        Assert.Equal("Published", after.GetProperty("status").GetString());

        app.Clock.AdvanceMinutes(30);
        await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recap", new { markdown = "Edited." });
        var edited = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/webinars/{seed.Slug}");
        Assert.Equal(app.Clock.GetCurrentInstant().ToString(), edited.GetProperty("recap").GetProperty("updatedAt").GetString());
        var page = await app.CreateClient().GetStringAsync($"/webinars/{seed.Slug}");
        Assert.Contains("updated", page);
        Assert.Contains("data-embed=\"https://www.youtube-nocookie.com/embed/" + VideoId + "\"", page);
        Assert.DoesNotContain("<iframe", page);
    }

    [Fact]
    public async Task Publish_Feeds_ItemCarriesRecapKeepsIdAndIsUpdated()
    {
        var staff = await app.CreateStaffClientAsync();
        var seed = await PublishingFixture.CreateAsync(app);
        var beforeItem = (await FeedAsync(seed.Topic)).Items.Single();
        app.Clock.AdvanceMinutes(5);

        await PublishAsync(staff, seed, "The panel discussed **multilateralism**.");

        var item = (await FeedAsync(seed.Topic)).Items.Single(i => i.Id == beforeItem.Id);
        var content = ((TextSyndicationContent)item.Content).Text;
        Assert.Contains("<strong>multilateralism</strong>", content);
        Assert.Contains($"https://www.youtube.com/watch?v={VideoId}", content);
        Assert.True(item.LastUpdatedTime > beforeItem.LastUpdatedTime);
        var siteRss = await app.CreateClient().GetStringAsync("/feed.rss");
        Assert.Contains(beforeItem.Id, siteRss);
        Assert.Contains("&lt;strong&gt;multilateralism&lt;/strong&gt;", siteRss);
    }

    [Fact]
    public async Task Publish_Repeated_EachConfirmedRegistrantGetsTheRightEmailOnce()
    {
        var staff = await app.CreateStaffClientAsync();
        var seed = await PublishingFixture.CreateAsync(app);
        await PublishAsync(staff, seed, "Recap.");
        await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recap", new { markdown = "Recap, edited." });

        // Publishing again after an edit, and two publishes at once (as from two instances), send nothing more.
        await Task.WhenAll(
            staff.PostAsync($"/api/webinars/{seed.Slug}/recap/publish", null),
            staff.PostAsync($"/api/webinars/{seed.Slug}/recap/publish", null));
        while (await app.Dispatcher().DispatchOnceAsync(default) > 0)
        {
        }

        await app.WithDbAsync(async db =>
        {
            var rows = await db.OutboxMessages().Where(m => m.WebinarId == seed.Id).ToListAsync();
            var alice = Assert.Single(rows, m => m.RegistrationId == seed.Alice);
            Assert.Equal(PublishingEmails.Attended, alice.Kind);
            Assert.StartsWith("Thank you — recording and recap", alice.Subject);
            Assert.Contains($"https://www.youtube.com/watch?v={VideoId}&t=1380s", alice.TextBody);
            var bob = Assert.Single(rows, m => m.RegistrationId == seed.Bob);
            Assert.Equal(PublishingEmails.Missed, bob.Kind);
            Assert.StartsWith("Sorry we missed you — here is the recording", bob.Subject);
            Assert.DoesNotContain("&t=", bob.TextBody);
            Assert.DoesNotContain(rows, m => m.RegistrationId == seed.Carol);
        });
        string? aliceEmail = null;
        await app.WithDbAsync(async db => aliceEmail = await db.Registrations.Where(r => r.Id == seed.Alice).Select(r => r.Email).SingleAsync());
        Assert.Single(smtp.To(aliceEmail!));
    }

    private static async Task PublishAsync(HttpClient staff, SeedWebinar seed, string markdown)
    {
        (await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recording", new { youtubeUrl = $"https://youtu.be/{VideoId}", videoOffsetSeconds = 120 })).EnsureSuccessStatusCode();
        (await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recap", new { markdown })).EnsureSuccessStatusCode();
        var published = await staff.PostAsync($"/api/webinars/{seed.Slug}/recap/publish", null);
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
    }

    private async Task<SyndicationFeed> FeedAsync(string topic)
    {
        var client = app.CreateClient();
        var stream = await client.GetStreamAsync($"/topics/{topic}/feed.atom");
        using var reader = XmlReader.Create(stream);
        return SyndicationFeed.Load(reader);
    }
}

public sealed class SqlitePublishingApiTests(SmtpSqliteApp app) : PublishingApiTests(app, app.Smtp), IClassFixture<SmtpSqliteApp>;

public sealed class PostgresPublishingApiTests(SmtpPostgresApp app) : PublishingApiTests(app, app.Smtp), IClassFixture<SmtpPostgresApp>;
