using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Publishing;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Publishing;

/// <summary>The YouTube steps against the fake API with faults injected: retried when transient, deferred on quota, reported when refused.</summary>
public sealed class YouTubeStepsTests(YouTubeApp app) : IClassFixture<YouTubeApp>
{
    private const string ListVideos = "/youtube/v3/videos";

    [Fact]
    public async Task ReadVideo_ServerErrorsThenSuccess_DoneOnceWithTitleDurationAndStatus()
    {
        var videoId = YouTubeApp.NewVideoId();
        app.YouTube.AddVideo(videoId);
        app.YouTube.Inject(videoId, Fault.Error(500, "backendError"), Fault.Error(503, "backendError"));

        var seed = await SetRecordingAsync(videoId);

        var job = Assert.Single(await app.WaitForJobsAsync(seed.Id, j => j.All(x => x.Status == PublishingJobStatus.Done)));
        Assert.Equal(1, job.Attempts);
        Assert.Equal(3, app.YouTube.Count("GET", ListVideos, videoId));
        await app.WithDbAsync(async db =>
        {
            var p = (await db.Webinars.SingleAsync(w => w.Id == seed.Id)).Publication!;
            Assert.Equal("International Organizations and Conflict Resolution in the Time of COVID-19", p.VideoTitle);
            Assert.Equal(3723, p.VideoDurationSeconds);
            Assert.Equal("unlisted", p.VideoPrivacy);
            Assert.Equal("succeeded", p.VideoProcessing);
            Assert.Equal($"https://i.ytimg.com/vi/{videoId}/hqdefault.jpg", p.VideoThumbnailUrl);
        });
    }

    [Fact]
    public async Task ReadVideo_TooManyRequests_BacksOffThenDone()
    {
        var videoId = YouTubeApp.NewVideoId();
        app.YouTube.AddVideo(videoId);
        app.YouTube.Inject(videoId, Fault.Error(429, "rateLimit"), Fault.Error(429, "rateLimit"));

        var seed = await SetRecordingAsync(videoId);

        await app.WaitForJobsAsync(seed.Id, j => j.All(x => x.Status == PublishingJobStatus.Done));
        Assert.Equal(3, app.YouTube.Count("GET", ListVideos, videoId));
    }

    [Fact]
    public async Task ReadVideo_Hang_TimesOutAndIsRetried()
    {
        var videoId = YouTubeApp.NewVideoId();
        app.YouTube.AddVideo(videoId);
        app.YouTube.Inject(videoId, Fault.Hanging);

        var seed = await SetRecordingAsync(videoId);

        await app.WaitForJobsAsync(seed.Id, j => j.All(x => x.Status == PublishingJobStatus.Done));
        Assert.Equal(2, app.YouTube.Count("GET", ListVideos, videoId));
    }

    [Fact]
    public async Task ReadVideo_UnknownVideo_ReportedToStaffNotRetried()
    {
        var videoId = YouTubeApp.NewVideoId(); // never added: YouTube answers 200 with no items
        var seed = await SetRecordingAsync(videoId);

        var job = Assert.Single(await app.WaitForJobsAsync(seed.Id, j => j.All(x => x.Status == PublishingJobStatus.Failed)));
        Assert.Contains("videoNotFound", job.LastError);
        Assert.Equal(1, app.YouTube.Count("GET", ListVideos, videoId));
        var steps = await (await app.CreateStaffClientAsync()).GetFromJsonAsync<JsonElement>($"/api/webinars/{seed.Slug}/publishing");
        Assert.Equal("failed", steps[0].GetProperty("status").GetString());
        Assert.Contains("videoNotFound", steps[0].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AddToPlaylist_Forbidden_ReportedNotRetried()
    {
        var videoId = YouTubeApp.NewVideoId();
        app.YouTube.AddVideo(videoId, privacy: "public");
        app.YouTube.Inject("GET /youtube/v3/playlistItems", videoId, Fault.Error(403, "forbidden"));

        var seed = await PublishAsync(videoId, YouTubeApp.ForbiddenTopic);

        var jobs = await app.WaitForJobsAsync(seed.Id, j => j.Count == 4 && j.All(x => x.Status is PublishingJobStatus.Done or PublishingJobStatus.Failed));
        var playlist = Assert.Single(jobs, j => j.Step == PublishingStep.AddToPlaylist);
        Assert.Equal(PublishingJobStatus.Failed, playlist.Status);
        Assert.Contains("forbidden (403)", playlist.LastError);
        Assert.Equal(1, app.YouTube.Count("GET", "/youtube/v3/playlistItems", videoId));
        Assert.Equal(0, app.YouTube.Count("POST", "/youtube/v3/playlistItems", videoId));
    }

    [Fact]
    public async Task ReadVideo_QuotaExceeded_DeferredToMidnightPacificAcrossDstThenDone()
    {
        // Sunday March 8, 2026, 10:00 PDT: the day began in PST; the quota resets at the next midnight, which is PDT.
        app.Clock.Reset(Instant.FromUtc(2026, 3, 8, 17, 0));
        var videoId = YouTubeApp.NewVideoId();
        app.YouTube.AddVideo(videoId);
        app.YouTube.Inject(videoId, Fault.Error(403, "quotaExceeded"));

        var seed = await SetRecordingAsync(videoId);

        var reset = Instant.FromUtc(2026, 3, 9, 7, 0);
        var job = Assert.Single(await app.WaitForJobsAsync(seed.Id, j => j.All(x => x.Status == PublishingJobStatus.Deferred)));
        Assert.Equal(reset, job.NextAttemptAt);
        Assert.Equal(1, app.YouTube.Count("GET", ListVideos, videoId));

        app.Clock.Reset(reset);
        await app.WaitForJobsAsync(seed.Id, j => j.All(x => x.Status == PublishingJobStatus.Done));
        Assert.Equal(2, app.YouTube.Count("GET", ListVideos, videoId));
        app.Clock.Reset(WebinarsApp.DefaultNow);
    }

    [Fact]
    public async Task Publish_AllSteps_DoneOnceAndRepeatingWritesNothing()
    {
        var videoId = YouTubeApp.NewVideoId();
        app.YouTube.AddVideo(videoId, privacy: "unlisted");
        var seed = await PublishAsync(videoId, YouTubeApp.PlaylistTopic);
        await app.WaitForJobsAsync(seed.Id, j => j.Count == 4 && j.All(x => x.Status == PublishingJobStatus.Done));

        var staff = await app.CreateStaffClientAsync();
        (await staff.PostAsync($"/api/webinars/{seed.Slug}/recap/publish", null)).EnsureSuccessStatusCode();
        (await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recording", new { youtubeUrl = $"https://youtu.be/{videoId}" })).EnsureSuccessStatusCode();

        var video = app.YouTube.Video(videoId);
        Assert.Equal("public", video["status"]!["privacyStatus"]!.GetValue<string>());
        Assert.Equal("youtube", video["status"]!["license"]!.GetValue<string>()); // sent back as read, not cleared
        var description = video["snippet"]!["description"]!.GetValue<string>();
        Assert.Equal(1, Occurrences(description, $"{YouTubeApp.SiteBase}/webinars/{seed.Slug}"));
        Assert.Equal("25", video["snippet"]!["categoryId"]!.GetValue<string>());
        Assert.Equal([videoId], app.YouTube.Playlist(YouTubeApp.PlaylistId).Where(v => v == videoId));
        Assert.Equal(2, app.YouTube.Count("PUT", ListVideos, videoId));
        Assert.Equal(1, app.YouTube.Count("POST", "/youtube/v3/playlistItems", videoId));
    }

    [Fact]
    public async Task WithoutCredentials_StepsShownAsNotConfigured()
    {
        await using var plain = new SqliteApp();
        var staff = await plain.CreateStaffClientAsync();
        var seed = await PublishingFixture.CreateAsync(plain);

        var steps = await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{seed.Slug}/publishing");

        Assert.All(steps.EnumerateArray(), s => Assert.Equal("not configured", s.GetProperty("status").GetString()));
    }

    internal static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private async Task<SeedWebinar> SetRecordingAsync(string videoId)
    {
        var staff = await app.CreateStaffClientAsync();
        var seed = await PublishingFixture.CreateAsync(app);
        (await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recording", new { youtubeUrl = $"https://www.youtube.com/watch?v={videoId}" })).EnsureSuccessStatusCode();
        return seed;
    }

    private async Task<SeedWebinar> PublishAsync(string videoId, string topicSlug) =>
        await PublishIn(app, videoId, topicSlug);

    internal static async Task<SeedWebinar> PublishIn(WebinarsApp app, string videoId, string topicName)
    {
        var staff = await app.CreateStaffClientAsync();
        var seed = await PublishingFixture.CreateAsync(app, topicName: topicName);
        (await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recording", new { youtubeUrl = $"https://youtu.be/{videoId}" })).EnsureSuccessStatusCode();
        (await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recap", new { markdown = "The recap." })).EnsureSuccessStatusCode();
        (await staff.PostAsync($"/api/webinars/{seed.Slug}/recap/publish", null)).EnsureSuccessStatusCode();
        return seed;
    }
}
