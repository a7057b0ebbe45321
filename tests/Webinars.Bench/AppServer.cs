using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Npgsql;

namespace Webinars.Bench;

/// <summary>The real app, built in Release, as its own process on PostgreSQL (or a SQLite file) with rate limiting off.</summary>
public sealed class AppServer : IAsyncDisposable
{
    private const string StaffEmail = "bench-staff@example.org";
    private const string StaffPassword = "bench staff password";
    private const string KeyRingPassword = "bench key ring password";
    private static readonly string[] DisplayZones = ["America/New_York", "Europe/Paris"];
    private readonly Process _process;
    private readonly HttpClient _staff;
    private readonly string _server;
    private readonly string _database;
    private readonly bool _sqlite;
    private string? _topic;

    private AppServer(Process process, HttpClient staff, string server, string database, bool sqlite)
    {
        _process = process;
        _staff = staff;
        _server = server;
        _database = database;
        _sqlite = sqlite;
    }

    /// <param name="sqlite">On a SQLite file in the temporary folder instead of a PostgreSQL database.</param>
    public static async Task<AppServer> StartAsync(BenchOptions options, IReadOnlyDictionary<string, string>? settings = null, bool sqlite = false)
    {
        if (!File.Exists(options.AppDll))
        {
            throw new FileNotFoundException($"Build the app first: dotnet build -c Release src/Webinars.Web ({options.AppDll} is missing)");
        }

        var database = $"webinars_bench_app_{Guid.NewGuid():N}";
        if (!sqlite) await Databases.CreateAsync(options.Postgres, database);
        var port = FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__Provider"] = sqlite ? "Sqlite" : "Postgres",
            ["ConnectionStrings__Webinars"] = sqlite ? SqliteFile(database) : Databases.For(options.Postgres, database),
            ["RateLimiting__Enabled"] = "false",
            ["Email__PickupDirectory"] = Path.Combine(Path.GetTempPath(), database),
            ["Logging__LogLevel__Default"] = "Warning",
            // Outside Development the key ring must be encrypted at rest: a throwaway certificate for this run.
            ["DataProtection__CertificateFile"] = KeyRingCertificate(Path.Combine(Path.GetTempPath(), database + ".pfx")),
            ["DataProtection__CertificatePassword"] = KeyRingPassword,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;

        var add = Start(options.AppDll, ["users", "add", StaffEmail, "--role", "Staff", "--password", StaffPassword], environment);
        await add.WaitForExitAsync();
        if (add.ExitCode != 0) throw new InvalidOperationException($"users add failed: {await add.StandardError.ReadToEndAsync()}");

        var process = Start(options.AppDll, ["--urls", $"http://127.0.0.1:{port}"], environment);
        var staff = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if ((await staff.GetAsync("/health/ready")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (attempt < 120)
            {
            }

            await Task.Delay(500);
        }

        var login = await staff.PostAsJsonAsync("/api/auth/login", new { email = StaffEmail, password = StaffPassword });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        staff.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new AppServer(process, staff, options.Postgres, database, sqlite);
    }

    /// <summary>The app's database, for modes that seed or check rows directly (a SQLite one when <see cref="IsSqlite"/>).</summary>
    public string ConnectionString => _sqlite ? SqliteFile(_database) : Databases.For(_server, _database);

    public bool IsSqlite => _sqlite;

    public Uri BaseAddress => _staff.BaseAddress!;

    public string StaffToken => _staff.DefaultRequestHeaders.Authorization!.Parameter!;

    public int ProcessId => _process.Id;

    /// <summary>The topic the bench's webinars belong to (made with the first).</summary>
    public string? TopicSlug => _topic;

    /// <summary>An announced webinar with <paramref name="capacity"/> seats (paid with a <paramref name="price"/>); returns its registration URL.</summary>
    public async Task<string> CreateWebinarAsync(int capacity, string localStart = "2030-06-12T09:00:00", string hostZone = "America/New_York", object? price = null)
    {
        if (_topic is null)
        {
            var topic = await _staff.PostAsJsonAsync("/api/topics", new { name = "Bench", description = "" });
            topic.EnsureSuccessStatusCode();
            _topic = (await topic.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString();
        }

        var created = await _staff.PostAsJsonAsync("/api/webinars", new
        {
            topic = _topic,
            title = $"Rush {Guid.NewGuid():N}",
            summary = "",
            hostZone,
            localStart,
            durationMinutes = 60,
            displayZones = DisplayZones,
            capacity,
            waitlist = true,
            price,
        });
        created.EnsureSuccessStatusCode();
        var slug = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString();
        (await _staff.PostAsync($"/api/webinars/{slug}/announce", null)).EnsureSuccessStatusCode();
        return new Uri(_staff.BaseAddress!, $"/api/webinars/{slug}/registrations").ToString();
    }

    /// <summary>Confirmed rows and the webinar's seat counter, read straight from the database.</summary>
    public async Task<(int Confirmed, int SeatsTaken)> CountConfirmedAsync(string registrationUrl)
    {
        var slug = registrationUrl.Split('/')[^2];
        await using var connection = new NpgsqlConnection(Databases.For(_server, _database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM "Registrations" r WHERE r."WebinarId" = w."Id" AND r."Status" = 'Confirmed'), w."SeatsTaken"
            FROM "Webinars" w WHERE w."Slug" = $1
            """, connection);
        command.Parameters.Add(new() { Value = slug });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return ((int)reader.GetInt64(0), reader.GetInt32(1));
    }

    public async ValueTask DisposeAsync()
    {
        _staff.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        if (_sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(Path.Combine(Path.GetTempPath(), _database + ".db" + suffix));
        }
        else
        {
            await Databases.DropAsync(_server, _database);
        }

        File.Delete(Path.Combine(Path.GetTempPath(), _database + ".pfx"));
    }

    private static string SqliteFile(string database) => $"Data Source={Path.Combine(Path.GetTempPath(), database + ".db")}";

    private static Process Start(string dll, string[] args, Dictionary<string, string> environment)
    {
        // Run from the app's own folder, as a published app is, so that its appsettings.json is read.
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["Site__BaseUrl"] = "http://127.0.0.1"; // required outside Development; a run that follows links sets its own
        foreach (var (k, v) in environment) info.Environment[k] = v;
        var process = Process.Start(info)!;
        // Drain output so the child never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        if (args[0] != "users")
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        return process;
    }

    private static string KeyRingCertificate(string path)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Webinars bench key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, KeyRingPassword));
        return path;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
