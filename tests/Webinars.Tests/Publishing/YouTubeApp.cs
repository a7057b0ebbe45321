using System.Globalization;
using Webinars.Data;
using Webinars.Publishing;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Publishing;

/// <summary>The app on SQLite with YouTube configured against a <see cref="FakeYouTube"/>; two may share one database file.</summary>
public class YouTubeApp : WebinarsApp
{
    public const string PlaylistTopic = "yt-playlist";
    public const string ForbiddenTopic = "yt-forbidden";
    public const string PlaylistId = "PLwebinarsTestPlaylist";
    public const string SiteBase = "https://webinars.example.org";

    private readonly bool _ownsFile;

    public YouTubeApp()
        : this(new FakeYouTube(), Path.Combine(Path.GetTempPath(), $"webinars-yt-{Guid.NewGuid():N}.db"), ownsFile: true)
    {
    }

    private YouTubeApp(FakeYouTube youTube, string file, bool ownsFile)
    {
        YouTube = youTube;
        File = file;
        _ownsFile = ownsFile;
    }

    public FakeYouTube YouTube { get; }

    /// <summary>A second instance on the same database and fake (as after a restart).</summary>
    public YouTubeApp Sharing() => new(YouTube, File, ownsFile: false);

    public string File { get; }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string ConnectionString => $"Data Source={File}";

    private string? CredentialsFile { get; set; }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["YouTube:ApiBase"] = YouTube.BaseUrl,
        ["YouTube:CredentialsFile"] = CredentialsFile,
        ["YouTube:MakePublic"] = "true",
        ["YouTube:AppendRecapLink"] = "true",
        [$"YouTube:Playlists:{PlaylistTopic}"] = PlaylistId,
        [$"YouTube:Playlists:{ForbiddenTopic}"] = PlaylistId,
        ["YouTube:TimeoutSeconds"] = "5",
        ["YouTube:RetryDelaySeconds"] = "0.01",
        ["YouTube:PollSeconds"] = "0.1",
        ["Site:BaseUrl"] = SiteBase,
        ["Email:BackgroundDispatch"] = "false",
    };

    public override async Task InitializeAsync()
    {
        if (_ownsFile) await YouTube.StartAsync();
        CredentialsFile = YouTube.WriteServiceAccountFile();
        await base.InitializeAsync();
    }

    /// <summary>Stops this instance as a crash would leave things: its database file and the fake stay.</summary>
    public async Task KillAsync() => await base.DisposeAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_ownsFile) return;
        await YouTube.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { File, File + "-wal", File + "-shm" }) System.IO.File.Delete(f);
    }

    public static string NewVideoId() => Convert.ToBase64String(Guid.NewGuid().ToByteArray()).Replace('+', '-').Replace('/', '_')[..11];

    /// <summary>Waits (generously) until every job of the webinar satisfies <paramref name="done"/>; returns them.</summary>
    public async Task<List<PublishingJob>> WaitForJobsAsync(Guid webinarId, Func<List<PublishingJob>, bool> done, int seconds = 40)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew(); // wall time for the wait only; the app runs on the fake clock
        while (true)
        {
            List<PublishingJob> jobs = [];
            await WithDbAsync(async db => jobs = [.. db.Set<PublishingJob>().Where(j => j.WebinarId == webinarId).OrderBy(j => j.Step)]);
            if (done(jobs)) return jobs;
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(seconds), "Jobs did not settle: " + string.Join("; ", jobs.Select(j => string.Create(CultureInfo.InvariantCulture, $"{j.Step} {j.Status} {j.Attempts} {j.LastError}"))));
            await Task.Delay(100);
        }
    }
}
