using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Publishing;

namespace Webinars.Tests.Publishing;

/// <summary>The app killed between two YouTube steps: the next instance resumes them and nothing is done twice.</summary>
public sealed class YouTubeRestartTests(YouTubeApp app) : IClassFixture<YouTubeApp>
{
    [Fact]
    public async Task Steps_AppKilledMidway_ResumedWithNothingDoubled()
    {
        var videoId = YouTubeApp.NewVideoId();
        app.YouTube.AddVideo(videoId);
        // YouTube adds the item, but its answer never comes back before the app dies.
        app.YouTube.Inject("POST /youtube/v3/playlistItems", videoId, Fault.Hanging);
        var seed = await YouTubeStepsTests.PublishIn(app, videoId, YouTubeApp.PlaylistTopic);
        await app.WaitForJobsAsync(seed.Id, j => j.Count == 4 && j.Count(x => x.Status == PublishingJobStatus.Done) >= 2
            && app.YouTube.Count("POST", "/youtube/v3/playlistItems", videoId) == 1);

        await app.KillAsync(); // killed: the playlist step stays claimed, unfinished
        // And as if it had died right after YouTube took the description, before the step was recorded done.
        await using var restarted = app.Sharing();
        await restarted.InitializeAsync();
        await restarted.WithDbAsync(async db =>
        {
            var append = await db.Set<PublishingJob>().SingleAsync(j => j.WebinarId == seed.Id && j.Step == PublishingStep.AppendRecapLink);
            append.Status = PublishingJobStatus.Pending;
            await db.SaveChangesAsync();
        });
        restarted.Clock.Reset(app.Clock.GetCurrentInstant() + Duration.FromMinutes(6)); // past the dead instance's lease

        var jobs = await restarted.WaitForJobsAsync(seed.Id, j => j.Count == 4 && j.All(x => x.Status == PublishingJobStatus.Done));

        Assert.All(jobs, j => Assert.Null(j.ClaimedBy));
        var description = app.YouTube.Video(videoId)["snippet"]!["description"]!.GetValue<string>();
        Assert.Equal(1, YouTubeStepsTests.Occurrences(description, $"/webinars/{seed.Slug}"));
        Assert.Single(app.YouTube.Playlist(YouTubeApp.PlaylistId), v => v == videoId);
        Assert.Equal(2, app.YouTube.Count("PUT", "/youtube/v3/videos", videoId)); // privacy once, description once
        Assert.Equal(1, app.YouTube.Count("POST", "/youtube/v3/playlistItems", videoId));
    }
}
