using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Webinars;

namespace Webinars.Publishing;

/// <summary>
/// Runs one YouTube step. Every write is preceded by a read that tells whether it is already done (the link already in
/// the description, the video already in the playlist), so a step repeated after a crash does nothing twice.
/// </summary>
public sealed class PublishingSteps(WebinarsDbContext db, IYouTubeClient youTube, IOptions<YouTubeOptions> options, IOptions<SiteOptions> site)
{
    /// <summary>Thrown when YouTube answers but the step cannot be done (no such video): staff are told, it is not retried.</summary>
    public sealed class StepRefusedException(string message) : Exception(message);

    public async Task<string?> RunAsync(PublishingJob job, CancellationToken ct)
    {
        var webinar = await db.Webinars.Include(w => w.Topic).FirstAsync(w => w.Id == job.WebinarId, ct);
        var videoId = webinar.Publication?.VideoId ?? throw new StepRefusedException("The webinar has no recording.");
        var video = await youTube.GetVideoAsync(videoId, ct)
            ?? throw new StepRefusedException($"videoNotFound: YouTube has no video {videoId} (deleted, or not visible to this account).");
        switch (job.Step)
        {
            case PublishingStep.ReadVideo:
                Remember(webinar.Publication!, video);
                return null;
            case PublishingStep.MakePublic:
                return await MakePublicAsync(video, ct);
            case PublishingStep.AppendRecapLink:
                return await AppendLinkAsync(video, site.Value.Link($"/webinars/{webinar.Slug}"), ct);
            case PublishingStep.AddToPlaylist:
                return await AddToPlaylistAsync(webinar, videoId, ct);
            default:
                throw new StepRefusedException($"Unknown step {job.Step}.");
        }
    }

    public static Duration? ParseDuration(string? iso)
    {
        if (string.IsNullOrEmpty(iso)) return null;
        var parsed = PeriodPattern.NormalizingIso.Parse(iso);
        return parsed.Success && parsed.Value.Months == 0 && parsed.Value.Years == 0 ? parsed.Value.ToDuration() : null;
    }

    private static void Remember(Publication p, Video video)
    {
        p.VideoTitle = Cut(video.Snippet?.Title, 200);
        p.VideoDurationSeconds = ParseDuration(video.ContentDetails?.Duration) is { } d ? (long)d.TotalSeconds : null;
        var thumbs = video.Snippet?.Thumbnails;
        p.VideoThumbnailUrl = Cut((thumbs?.Maxres ?? thumbs?.Standard ?? thumbs?.High ?? thumbs?.Medium ?? thumbs?.Default)?.Url, 500);
        p.VideoPrivacy = Cut(video.Status?.PrivacyStatus, 20);
        p.VideoProcessing = Cut(video.ProcessingDetails?.ProcessingStatus, 20);
    }

    private async Task<string?> MakePublicAsync(Video video, CancellationToken ct)
    {
        switch (video.Status?.PrivacyStatus)
        {
            case "public":
                return null;
            case "unlisted":
                // videos.update replaces the whole status part: send back what we read, with only the privacy changed.
                var status = video.Status!;
                status.PrivacyStatus = "public";
                await youTube.UpdateVideoAsync(new Video { Id = video.Id, Status = status }, "status", ct);
                return null;
            default:
                return $"The video is {video.Status?.PrivacyStatus ?? "of unknown privacy"}; only an unlisted video is made public.";
        }
    }

    private async Task<string?> AppendLinkAsync(Video video, string recapUrl, CancellationToken ct)
    {
        var snippet = video.Snippet ?? throw new StepRefusedException("YouTube sent the video without its snippet.");
        var description = snippet.Description ?? "";
        if (description.Contains(recapUrl, StringComparison.Ordinal)) return null;
        // The snippet part is replaced whole; title and categoryId are required, so everything read is sent back.
        snippet.Description = description.Length == 0 ? $"Recap: {recapUrl}" : $"{description.TrimEnd()}\n\nRecap: {recapUrl}";
        snippet.Thumbnails = null;
        await youTube.UpdateVideoAsync(new Video { Id = video.Id, Snippet = snippet }, "snippet", ct);
        return null;
    }

    private async Task<string?> AddToPlaylistAsync(Webinar webinar, string videoId, CancellationToken ct)
    {
        if (!options.Value.Playlists.TryGetValue(webinar.Topic.Slug, out var playlistId)) return "No playlist configured for this topic.";
        if (await youTube.IsInPlaylistAsync(playlistId, videoId, ct)) return null;
        await youTube.AddToPlaylistAsync(playlistId, videoId, ct);
        return null;
    }

    private static string? Cut(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
