using System.Text.Json;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Http;
using Google.Apis.Services;
using Microsoft.Extensions.Options;
using Polly;
using Webinars.Infrastructure;

namespace Webinars.Publishing;

/// <summary>
/// <see cref="IYouTubeClient"/> over our <see cref="YouTubeService"/>, each call through one Polly pipeline: a retry
/// (exponential back-off with jitter, transient failures only) around a circuit breaker around a per-attempt timeout.
/// Google's own back-off handler is off, so nothing retries twice.
/// </summary>
public sealed class YouTubeClient : IYouTubeClient, IDisposable
{
    public const string Scope = "https://www.googleapis.com/auth/youtube";
    private const string VideoParts = "snippet,contentDetails,status,processingDetails";

    private readonly YouTubeService _service;
    private readonly ResiliencePipeline _pipeline;
    // Inserting is not idempotent: an attempt that timed out may have taken effect, so it is not retried here; the
    // step's job retries later and checks the playlist first.
    private readonly ResiliencePipeline _once;

    public YouTubeClient(IOptions<YouTubeOptions> options, ILogger<YouTubeClient> logger)
    {
        var o = options.Value;
        _service = new YouTubeService(new BaseClientService.Initializer
        {
            HttpClientInitializer = LoadCredential(o.CredentialsFile!),
            BaseUri = o.ApiBase.EndsWith('/') ? o.ApiBase : o.ApiBase + "/",
            ApplicationName = "Webinars",
            DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.None,
            // Polly's timeout ends a hung attempt; HttpClient's own limit stays out of its way.
            HttpClientTimeout = TimeSpan.FromSeconds(o.TimeoutSeconds * 4),
        });
        _pipeline = Pipeline(o, logger, retry: true);
        _once = Pipeline(o, logger, retry: false);
    }

    public async Task<Video?> GetVideoAsync(string videoId, CancellationToken ct)
    {
        var response = await _pipeline.ExecuteAsync(async token =>
        {
            var request = _service.Videos.List(VideoParts);
            request.Id = videoId;
            return await request.ExecuteAsync(token);
        }, ct);
        // An unknown or deleted id answers 200 with no items, not 404.
        return response.Items?.FirstOrDefault();
    }

    public Task UpdateVideoAsync(Video video, string part, CancellationToken ct) =>
        _pipeline.ExecuteAsync(async token => { await _service.Videos.Update(video, part).ExecuteAsync(token); }, ct).AsTask();

    public async Task<bool> IsInPlaylistAsync(string playlistId, string videoId, CancellationToken ct)
    {
        var response = await _pipeline.ExecuteAsync(async token =>
        {
            var request = _service.PlaylistItems.List("snippet");
            request.PlaylistId = playlistId;
            request.VideoId = videoId;
            return await request.ExecuteAsync(token);
        }, ct);
        return response.Items?.Any(i => i.Snippet?.ResourceId?.VideoId == videoId) == true;
    }

    public Task AddToPlaylistAsync(string playlistId, string videoId, CancellationToken ct)
    {
        var item = new PlaylistItem
        {
            Snippet = new PlaylistItemSnippet { PlaylistId = playlistId, ResourceId = new ResourceId { Kind = "youtube#video", VideoId = videoId } },
        };
        return _once.ExecuteAsync(async token => { await _service.PlaylistItems.Insert(item, "snippet").ExecuteAsync(token); }, ct).AsTask();
    }

    public void Dispose() => _service.Dispose();

    /// <summary>Only the two kinds publishing needs, checked before Google.Apis.Auth reads the file.</summary>
    internal static IConfigurableHttpClientInitializer LoadCredential(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var type = json.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type is not (JsonCredentialParameters.ServiceAccountCredentialType or JsonCredentialParameters.AuthorizedUserCredentialType))
        {
            throw new InvalidOperationException($"YouTube:CredentialsFile must hold a service account key or an authorized user's refresh token, not '{type}'.");
        }

        return CredentialFactory.FromFile(path, type).CreateScoped(Scope);
    }

    private static ResiliencePipeline Pipeline(YouTubeOptions o, ILogger logger, bool retry) => Resilience.Pipeline(
        e => YouTubeErrors.Classify(e) == YouTubeFailureKind.Transient,
        new RetrySettings(retry ? Math.Max(1, o.MaxRetries) : 0, TimeSpan.FromSeconds(o.RetryDelaySeconds), (error, attempt, delay) =>
            logger.LogWarning("YouTube call failed (attempt {Attempt}), retrying in {Delay}: {Error}",
                attempt, delay, error is { } e ? YouTubeErrors.Describe(e) : "no answer")),
        new BreakerSettings(MinimumThroughput: 10, Sampling: TimeSpan.FromSeconds(60), Pause: TimeSpan.FromSeconds(30)),
        TimeSpan.FromSeconds(o.TimeoutSeconds));
}
