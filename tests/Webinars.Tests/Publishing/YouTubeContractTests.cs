using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Google.Apis.Json;
using Google.Apis.Services;
using Newtonsoft.Json;
using Webinars.Publishing;

namespace Webinars.Tests.Publishing;

/// <summary>
/// Our client and fake against the discovery document (Fixtures/youtube-v3-subset.json, copied from shared/contracts):
/// every request the client sends is a documented method, path and parameters; every fixture the fake serves
/// deserialises into our types; every property our types name exists in the document's schema.
/// </summary>
public sealed class YouTubeContractTests(YouTubeApp app) : IClassFixture<YouTubeApp>
{
    private static readonly JsonElement Discovery = JsonDocument.Parse(File.ReadAllText(FakeYouTube.FixturePath("youtube-v3-subset.json"))).RootElement;

    [Fact]
    public async Task ClientRequests_AllSteps_MatchDocumentedMethodsPathsAndParameters()
    {
        var videoId = YouTubeApp.NewVideoId();
        app.YouTube.AddVideo(videoId);
        var seed = await YouTubeStepsTests.PublishIn(app, videoId, YouTubeApp.PlaylistTopic);
        await app.WaitForJobsAsync(seed.Id, j => j.Count == 4 && j.All(x => x.Status == PublishingJobStatus.Done));

        var seen = app.YouTube.Requests.Where(r => r.Path != "/token").ToList();
        Assert.Contains(seen, r => r.Method == "GET" && r.Path == "/youtube/v3/videos");
        Assert.Contains(seen, r => r.Method == "PUT" && r.Path == "/youtube/v3/videos");
        Assert.Contains(seen, r => r.Method == "GET" && r.Path == "/youtube/v3/playlistItems");
        Assert.Contains(seen, r => r.Method == "POST" && r.Path == "/youtube/v3/playlistItems");
        var globals = Discovery.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var request in seen)
        {
            var method = Methods().SingleOrDefault(m =>
                m.GetProperty("httpMethod").GetString() == request.Method && Discovery.GetProperty("servicePath").GetString() + m.GetProperty("path").GetString() == request.Path.TrimStart('/'));
            Assert.True(method.ValueKind == JsonValueKind.Object, $"{request.Method} {request.Path} is not in the discovery document");
            var parameters = method.GetProperty("parameters");
            foreach (var name in request.Query.Keys)
            {
                Assert.True(parameters.TryGetProperty(name, out _) || globals.Contains(name), $"{request.Method} {request.Path}: parameter '{name}' is not documented");
            }

            foreach (var p in parameters.EnumerateObject().Where(p => p.Value.TryGetProperty("required", out var r) && r.GetBoolean()))
            {
                Assert.True(request.Query.ContainsKey(p.Name), $"{request.Method} {request.Path}: required '{p.Name}' missing");
            }
        }
    }

    [Theory]
    [InlineData("videos.list.json", typeof(VideoListResponse))]
    [InlineData("videos.list.empty.json", typeof(VideoListResponse))]
    [InlineData("playlistItems.insert.json", typeof(PlaylistItem))]
    [InlineData("playlistItems.list.empty.json", typeof(PlaylistItemListResponse))]
    public void Fixture_Resource_DeserialisesIntoOurTypes(string fixture, Type type)
    {
        var value = NewtonsoftJsonSerializer.Instance.Deserialize(File.ReadAllText(FakeYouTube.FixturePath(fixture)), type);

        Assert.NotNull(value);
        if (value is VideoListResponse { Items: [var video] })
        {
            Assert.Equal("PT1H2M3S", video.ContentDetails!.Duration);
            Assert.Equal(NodaTime.Duration.FromSeconds(3723), PublishingSteps.ParseDuration(video.ContentDetails.Duration));
            Assert.Equal("unlisted", video.Status!.PrivacyStatus);
            Assert.Equal("succeeded", video.ProcessingDetails!.ProcessingStatus);
            Assert.NotNull(video.Snippet!.Thumbnails!.High!.Url);
        }
    }

    [Theory]
    [InlineData("error.quotaExceeded.json", 403, "quotaExceeded", YouTubeFailureKind.QuotaExceeded)]
    [InlineData("error.backendError.json", 503, "backendError", YouTubeFailureKind.Transient)]
    [InlineData("error.rateLimit.json", 429, "rateLimitExceeded", YouTubeFailureKind.Transient)]
    [InlineData("error.videoNotFound.json", 404, "videoNotFound", YouTubeFailureKind.Refused)]
    [InlineData("error.forbidden.json", 403, "forbidden", YouTubeFailureKind.Refused)]
    public async Task Fixture_Error_ReadByGoogleAsReasonAndClassified(string fixture, int status, string reason, YouTubeFailureKind kind)
    {
        using var service = new YouTubeService(new BaseClientService.Initializer());
        using var response = new HttpResponseMessage((HttpStatusCode)status)
        {
            Content = new StringContent(File.ReadAllText(FakeYouTube.FixturePath(fixture)), Encoding.UTF8, "application/json"),
        };

        var error = await service.DeserializeError(response);

        Assert.Equal(reason, error.Errors[0].Reason);
        var exception = new Google.GoogleApiException("youtube", error.Message) { Error = error, HttpStatusCode = (HttpStatusCode)status };
        Assert.Equal(kind, YouTubeErrors.Classify(exception));
    }

    [Theory]
    [InlineData(typeof(VideoListResponse))]
    [InlineData(typeof(Video))]
    [InlineData(typeof(VideoSnippet))]
    [InlineData(typeof(ThumbnailDetails))]
    [InlineData(typeof(Thumbnail))]
    [InlineData(typeof(VideoContentDetails))]
    [InlineData(typeof(VideoStatus))]
    [InlineData(typeof(VideoProcessingDetails))]
    [InlineData(typeof(PlaylistItem))]
    [InlineData(typeof(PlaylistItemSnippet))]
    [InlineData(typeof(ResourceId))]
    [InlineData(typeof(PlaylistItemListResponse))]
    [InlineData(typeof(PageInfo))]
    public void OurType_EveryProperty_IsInTheDocumentedSchema(Type type)
    {
        var schema = Discovery.GetProperty("schemas").GetProperty(type.Name).GetProperty("properties");
        foreach (var property in type.GetProperties())
        {
            var name = property.GetCustomAttribute<JsonPropertyAttribute>()!.PropertyName!;
            Assert.True(schema.TryGetProperty(name, out _), $"{type.Name}.{name} is not in the discovery document");
        }
    }

    [Theory]
    [InlineData("2026-03-08T17:00:00Z", "2026-03-09T07:00:00Z")] // spring forward: the day began in PST, resets at PDT midnight
    [InlineData("2026-11-01T06:30:00Z", "2026-11-01T07:00:00Z")] // 23:30 PDT, the evening before falling back
    [InlineData("2026-11-01T12:00:00Z", "2026-11-02T08:00:00Z")] // after falling back: midnight PST, 25 hours after the last
    [InlineData("2026-11-29T08:00:00Z", "2026-11-30T08:00:00Z")] // exactly at a reset: the next one
    public void QuotaResetAfter_MidnightLosAngeles(string now, string reset) =>
        Assert.Equal(NodaTime.Text.InstantPattern.General.Parse(reset).Value, YouTubeErrors.QuotaResetAfter(NodaTime.Text.InstantPattern.General.Parse(now).Value));

    private static IEnumerable<JsonElement> Methods() =>
        Discovery.GetProperty("resources").EnumerateObject().SelectMany(r => r.Value.GetProperty("methods").EnumerateObject().Select(m => m.Value));
}
