using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Webinars.Demo;
using Webinars.Tests.Infrastructure;
using Webinars.Tests.Webinars;

namespace Webinars.Tests.Operations;

/// <summary>The first-run demo data on a fresh database: the seed's topic, its past webinar and an upcoming one.</summary>
public abstract class DemoDataTests(WebinarsApp app)
{
    [Fact]
    public async Task Seed_FreshDatabase_CreatesTheSeedTopicAndItsWebinars()
    {
        await DemoData.SeedAsync(app.Services, NullLogger.Instance);

        var topics = await GetAsync("/api/topics");
        var topic = Assert.Single(topics.EnumerateArray());
        Assert.Equal("Strategic Trust-Building", topic.GetProperty("name").GetString());
        var slug = topic.GetProperty("slug").GetString();

        var past = Assert.Single((await GetAsync($"/api/webinars?when=past&topic={slug}")).EnumerateArray());
        Assert.Equal(DemoData.PastTitle, past.GetProperty("title").GetString());
        Assert.Equal("2020-12-07T14:00:00Z", past.GetProperty("startUtc").GetString());
        Assert.Equal("2020-12-07T09:00:00", past.GetProperty("localStart").GetString());
        Assert.Equal("America/New_York", past.GetProperty("hostZone").GetString());
        Assert.Equal(DemoData.PastVideoId, past.GetProperty("recording").GetProperty("videoId").GetString());
        Assert.Contains("Track 2", past.GetProperty("recap").GetProperty("html").GetString());
        Assert.Equal(["America/New_York", "Europe/Paris"], past.GetProperty("displayTimes").EnumerateArray().Select(t => t.GetProperty("zone").GetString()));
        var roles = past.GetProperty("speakers").EnumerateArray().Select(s => s.GetProperty("role").GetString()).ToList();
        Assert.Equal(2, roles.Count(r => r == "Speaker"));
        Assert.Equal(1, roles.Count(r => r == "Moderator"));
        Assert.Equal(2, roles.Count(r => r == "Discussant"));

        var upcoming = Assert.Single((await GetAsync($"/api/webinars?when=upcoming&topic={slug}")).EnumerateArray());
        Assert.Equal("Announced", upcoming.GetProperty("status").GetString());
        var start = NodaTime.Text.InstantPattern.ExtendedIso.Parse(upcoming.GetProperty("startUtc").GetString()!).Value;
        Assert.InRange(start, WebinarsApp.DefaultNow, WebinarsApp.DefaultNow + NodaTime.Duration.FromDays(60));
    }

    [Fact]
    public async Task Seed_RunTwice_AddsNothingTheSecondTime()
    {
        await DemoData.SeedAsync(app.Services, NullLogger.Instance);
        var topics = (await GetAsync("/api/topics")).GetArrayLength();
        var upcoming = (await GetAsync("/api/webinars?when=upcoming")).GetArrayLength();
        var past = (await GetAsync("/api/webinars?when=past")).GetArrayLength();

        await DemoData.SeedAsync(app.Services, NullLogger.Instance);

        Assert.Equal((1, 1, 1), (topics, upcoming, past));
        Assert.Equal(topics, (await GetAsync("/api/topics")).GetArrayLength());
        Assert.Equal(upcoming, (await GetAsync("/api/webinars?when=upcoming")).GetArrayLength());
        Assert.Equal(past, (await GetAsync("/api/webinars?when=past")).GetArrayLength());
    }

    private async Task<JsonElement> GetAsync(string url) =>
        await WebinarsApiTests.ReadJsonAsync(await app.CreateClient().GetAsync(url), HttpStatusCode.OK);
}

public sealed class SqliteDemoDataTests(SqliteApp app) : DemoDataTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresDemoDataTests(PostgresApp app) : DemoDataTests(app), IClassFixture<PostgresApp>;
