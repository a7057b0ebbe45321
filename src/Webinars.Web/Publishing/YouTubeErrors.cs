using System.Net;
using Google;
using NodaTime;

namespace Webinars.Publishing;

/// <summary>Classifies YouTube failures by the error's <c>reason</c> (never its message), as shared/contracts/youtube-errors.md lists them.</summary>
public static class YouTubeErrors
{
    private static readonly DateTimeZone Pacific = DateTimeZoneProviders.Tzdb["America/Los_Angeles"];

    public static string? Reason(GoogleApiException e) => e.Error?.Errors?.FirstOrDefault()?.Reason;

    public static YouTubeFailureKind Classify(Exception e) => e switch
    {
        GoogleApiException g when Reason(g) is "quotaExceeded" or "dailyLimitExceeded" => YouTubeFailureKind.QuotaExceeded,
        GoogleApiException g when Reason(g) is "backendError" or "rateLimitExceeded" or "userRateLimitExceeded" => YouTubeFailureKind.Transient,
        GoogleApiException g when g.HttpStatusCode == HttpStatusCode.TooManyRequests || (int)g.HttpStatusCode >= 500 => YouTubeFailureKind.Transient,
        GoogleApiException => YouTubeFailureKind.Refused,
        HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException => YouTubeFailureKind.Transient,
        Polly.CircuitBreaker.BrokenCircuitException => YouTubeFailureKind.Transient,
        TaskCanceledException => YouTubeFailureKind.Transient,
        _ => YouTubeFailureKind.Refused,
    };

    /// <summary>What staff read: the reason and status, e.g. "videoNotFound (404): Video not found.".</summary>
    public static string Describe(Exception e) => e switch
    {
        GoogleApiException g => $"{Reason(g) ?? "error"} ({(int)g.HttpStatusCode}): {g.Error?.Message ?? g.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    /// <summary>The daily quota resets at midnight Pacific time; the next such midnight after <paramref name="now"/>.</summary>
    public static Instant QuotaResetAfter(Instant now)
    {
        var tomorrow = now.InZone(Pacific).Date.PlusDays(1);
        return Pacific.AtStartOfDay(tomorrow).ToInstant();
    }
}
