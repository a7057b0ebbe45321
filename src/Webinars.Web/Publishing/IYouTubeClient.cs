namespace Webinars.Publishing;

/// <summary>What publishing asks of YouTube. Each call is already resilient (see <see cref="YouTubeClient"/>).</summary>
public interface IYouTubeClient
{
    /// <summary>The video with snippet, contentDetails, status and processingDetails, or null when YouTube has no such video.</summary>
    Task<Video?> GetVideoAsync(string videoId, CancellationToken ct);

    Task UpdateVideoAsync(Video video, string part, CancellationToken ct);

    Task<bool> IsInPlaylistAsync(string playlistId, string videoId, CancellationToken ct);

    Task AddToPlaylistAsync(string playlistId, string videoId, CancellationToken ct);
}

/// <summary>How a failed YouTube call is treated.</summary>
public enum YouTubeFailureKind
{
    /// <summary>Worth retrying soon: 429, 5xx, backendError, rate limits, timeouts, network errors.</summary>
    Transient,
    /// <summary>The daily quota is spent: wait for its reset at midnight Pacific time.</summary>
    QuotaExceeded,
    /// <summary>YouTube refused (videoNotFound, forbidden, bad request): staff must act; retrying cannot help.</summary>
    Refused,
}
