using Npgsql;

namespace Webinars.Tests.Infrastructure;

/// <summary>
/// Two app processes on one PostgreSQL database (optionally joined by a Redis backplane) behind nginx started from
/// the shipped infra/nginx.conf on a free, non-80 port — the deployment infra/compose.yaml describes, on loopback.
/// A staff account exists. Disposing stops everything (Redis too) and drops the database.
/// </summary>
public sealed class ProxiedApps : IAsyncDisposable
{
    public const string StaffEmail = "proxy-staff@example.org";
    public const string StaffPassword = "correct horse battery staple";

    private readonly string _database = $"webinars_proxy_{Guid.NewGuid():N}";
    // Chosen before the apps start: it is their Site:BaseUrl (links, and the hub's WebSocket Origin check).
    private readonly int _proxyPort = AppProcess.FreePort();
    private readonly List<AppProcess> _apps = [];
    private TestNginx? _nginx;

    private ProxiedApps(TestRedisServer? redis) => Redis = redis;

    /// <summary>The backplane, when the pair has one: the test's own redis-server, which it may stop and start.</summary>
    public TestRedisServer? Redis { get; }

    /// <summary>Where both instances write their emails (.eml files), shared as compose would share a volume.</summary>
    public string PickupDirectory => Path.Combine(Path.GetTempPath(), _database);

    public AppProcess A => _apps[0];

    public AppProcess B => _apps[1];

    public TestNginx Nginx => _nginx ?? throw new InvalidOperationException("not started");

    /// <summary>The public address: the proxy's.</summary>
    public Uri BaseAddress => Nginx.BaseAddress;

    public static async Task<ProxiedApps> StartAsync(bool withRedis = false)
    {
        var apps = new ProxiedApps(withRedis ? new TestRedisServer() : null);
        try
        {
            if (apps.Redis is not null) await apps.Redis.StartAsync();
            await TestPostgres.CreateDatabaseAsync(apps._database);
            var created = await AppProcess.RunCommandAsync(apps.Environment(),
                ["users", "add", StaffEmail, "--role", "Staff", "--password", StaffPassword], TimeSpan.FromSeconds(AppProcess.PatienceSeconds));
            Assert.True(created.ExitCode == 0, $"users add: exit {created.ExitCode}: {created.Output}{created.Error}");
            // One after the other: the first applies the migrations at its start-up, as compose orders web1 and web2.
            apps._apps.Add(await AppProcess.StartAsync(apps.Environment()));
            apps._apps.Add(await AppProcess.StartAsync(apps.Environment()));
            apps._nginx = await TestNginx.StartAsync(apps.A.BaseAddress, apps.B.BaseAddress, apps._proxyPort);
            return apps;
        }
        catch
        {
            await apps.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client for the proxy that keeps cookies; redirects followed or not, as the test needs.</summary>
    public HttpClient CreateClient(bool followRedirects, System.Net.CookieContainer? cookies = null) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = followRedirects, CookieContainer = cookies ?? new(), UseCookies = true })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    public async ValueTask DisposeAsync()
    {
        _nginx?.Dispose();
        foreach (var app in _apps) app.Dispose();
        Redis?.Dispose();
        await TestPostgres.DropDatabaseAsync(_database);
        if (Directory.Exists(PickupDirectory)) Directory.Delete(PickupDirectory, recursive: true);
    }

    private Dictionary<string, string?> Environment()
    {
        var environment = new Dictionary<string, string?>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Webinars"] = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionStringFor(_database)) { MaxPoolSize = 20 }.ConnectionString,
            ["RateLimiting__Enabled"] = "false",
            ["Email__PickupDirectory"] = PickupDirectory,
            ["Email__DispatchIntervalSeconds"] = "1",
            // As compose sets it: trust the proxy's X-Forwarded-* headers.
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (Redis is not null) environment["ConnectionStrings__Redis"] = Redis.ConnectionString;
        environment["Site__BaseUrl"] = $"http://127.0.0.1:{_proxyPort}";
        return environment;
    }
}
