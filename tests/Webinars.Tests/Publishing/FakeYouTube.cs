using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webinars.Tests.Publishing;

/// <summary>A request as the fake saw it, for the contract test.</summary>
public sealed record SeenRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string? VideoId);

/// <summary>What the next matching request gets instead of a normal answer.</summary>
public sealed record Fault(int Status, string? Fixture, bool Hang = false)
{
    public static Fault Error(int status, string reason) => new(status, $"error.{reason}.json");
    public static readonly Fault Hanging = new(0, null, Hang: true);
}

/// <summary>
/// The YouTube Data API v3 (videos.list/update, playlistItems.list/insert) and Google's token endpoint on a loopback
/// port, answering with the fixtures in Fixtures/ (shaped as the real API answers). Faults are queued per video id.
/// </summary>
public sealed class FakeYouTube : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _videos = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new();
    private readonly ConcurrentDictionary<string, ConcurrentBag<string>> _playlists = new();

    public FakeYouTube()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/token", () => Results.Json(new { access_token = "fake-access-token", expires_in = 3600, token_type = "Bearer" }));
        _app.MapGet("/youtube/v3/videos", (Delegate)ListVideosAsync);
        _app.MapPut("/youtube/v3/videos", (Delegate)UpdateVideoAsync);
        _app.MapGet("/youtube/v3/playlistItems", (Delegate)ListPlaylistItemsAsync);
        _app.MapPost("/youtube/v3/playlistItems", (Delegate)InsertPlaylistItemAsync);
    }

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Publishing", "Fixtures", name);

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public async Task StartAsync()
    {
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
    }

    /// <summary>Adds a video (as the fixture, with this id and privacy); returns it for inspection.</summary>
    public JsonObject AddVideo(string id, string privacy = "unlisted")
    {
        var video = (JsonObject)JsonNode.Parse(File.ReadAllText(FixturePath("videos.list.json")).Replace("VIDEO_ID", id, StringComparison.Ordinal))!["items"]![0]!;
        video["status"]!["privacyStatus"] = privacy;
        _videos[id] = (JsonObject)video.DeepClone();
        return _videos[id];
    }

    public JsonObject Video(string id) => _videos[id];

    public IReadOnlyList<string> Playlist(string playlistId) => _playlists.TryGetValue(playlistId, out var items) ? items.ToList() : [];

    /// <summary>Faults for the next requests about <paramref name="videoId"/> (any method), in order.</summary>
    public void Inject(string videoId, params Fault[] faults) => Inject("*", videoId, faults);

    /// <summary>Faults for the next requests of one kind ("POST /youtube/v3/playlistItems") about <paramref name="videoId"/>.</summary>
    public void Inject(string request, string videoId, params Fault[] faults)
    {
        var queue = _faults.GetOrAdd($"{request} {videoId}", _ => new ConcurrentQueue<Fault>());
        foreach (var f in faults) queue.Enqueue(f);
    }

    public int Count(string method, string path, string videoId) =>
        Requests.Count(r => r.Method == method && r.Path == path && r.VideoId == videoId);

    /// <summary>Writes a service-account key whose token endpoint is this fake, as Google.Apis.Auth reads it.</summary>
    public string WriteServiceAccountFile()
    {
        using var rsa = RSA.Create(2048);
        var json = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "webinars-test",
            ["private_key_id"] = "test-key",
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "publisher@webinars-test.iam.gserviceaccount.com",
            ["client_id"] = "1234567890",
            ["token_uri"] = BaseUrl + "token",
        });
        var path = Path.Combine(Path.GetTempPath(), $"webinars-yt-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult?> FaultAsync(HttpContext http, string? videoId)
    {
        var query = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        Requests.Enqueue(new SeenRequest(http.Request.Method, http.Request.Path.Value!, query, videoId));
        if (videoId is null) return null;
        if (!(_faults.TryGetValue($"{http.Request.Method} {http.Request.Path} {videoId}", out var queue) && queue.TryDequeue(out var fault))
            && !(_faults.TryGetValue($"* {videoId}", out queue) && queue.TryDequeue(out fault)))
        {
            return null;
        }

        if (fault.Hang)
        {
            // Never answers while the client waits; the client's timeout ends it.
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return Results.Empty;
        }

        return Results.Text(File.ReadAllText(FixturePath(fault.Fixture!)), "application/json; charset=UTF-8", statusCode: fault.Status);
    }

    private async Task<IResult> ListVideosAsync(HttpContext http)
    {
        var id = http.Request.Query["id"].ToString();
        if (await FaultAsync(http, id) is { } faulted) return faulted;
        var list = JsonNode.Parse(await File.ReadAllTextAsync(_videos.ContainsKey(id) ? FixturePath("videos.list.json") : FixturePath("videos.list.empty.json")))!;
        if (_videos.TryGetValue(id, out var video)) list["items"] = new JsonArray(video.DeepClone());
        return Results.Text(list.ToJsonString(), "application/json; charset=UTF-8");
    }

    private async Task<IResult> UpdateVideoAsync(HttpContext http)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(Body(http)))!;
        var id = body["id"]?.GetValue<string>();
        if (await FaultAsync(http, id) is { } faulted) return faulted;
        if (id is null || !_videos.TryGetValue(id, out var video)) return Results.Text(File.ReadAllText(FixturePath("error.videoNotFound.json")), "application/json", statusCode: 404);
        // As the real API: each part named is replaced whole by what was sent.
        foreach (var part in http.Request.Query["part"].ToString().Split(','))
        {
            video[part] = body[part]?.DeepClone();
        }

        return Results.Text(video.ToJsonString(), "application/json; charset=UTF-8");
    }

    private async Task<IResult> ListPlaylistItemsAsync(HttpContext http)
    {
        var videoId = http.Request.Query["videoId"].ToString();
        if (await FaultAsync(http, videoId) is { } faulted) return faulted;
        var list = JsonNode.Parse(await File.ReadAllTextAsync(FixturePath("playlistItems.list.empty.json")))!;
        var playlistId = http.Request.Query["playlistId"].ToString();
        var items = new JsonArray();
        foreach (var v in Playlist(playlistId).Where(v => v == videoId)) items.Add(Item(playlistId, v));
        list["items"] = items;
        return Results.Text(list.ToJsonString(), "application/json; charset=UTF-8");
    }

    private async Task<IResult> InsertPlaylistItemAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(Body(http)))!;
        var videoId = body["snippet"]?["resourceId"]?["videoId"]?.GetValue<string>();
        var playlistId = body["snippet"]?["playlistId"]?.GetValue<string>() ?? "";
        if (videoId is null || !_videos.ContainsKey(videoId))
        {
            Requests.Enqueue(new SeenRequest(http.Request.Method, http.Request.Path.Value!, http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), videoId));
            return Results.Text(File.ReadAllText(FixturePath("error.videoNotFound.json")), "application/json", statusCode: 404);
        }

        // The insert takes effect before any fault: a hang here is "done on YouTube, but the answer never came back".
        _playlists.GetOrAdd(playlistId, _ => []).Add(videoId);
        if (await FaultAsync(http, videoId) is { } faulted) return faulted;
        return Results.Text(Item(playlistId, videoId).ToJsonString(), "application/json; charset=UTF-8");
    }

    // Google's client gzips request bodies (the real API accepts that).
    private static Stream Body(HttpContext http) =>
        http.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? new System.IO.Compression.GZipStream(http.Request.Body, System.IO.Compression.CompressionMode.Decompress)
            : http.Request.Body;

    private static JsonNode Item(string playlistId, string videoId) =>
        JsonNode.Parse(File.ReadAllText(FixturePath("playlistItems.insert.json")).Replace("VIDEO_ID", videoId, StringComparison.Ordinal).Replace("PLAYLIST_ID", playlistId, StringComparison.Ordinal))!;
}
