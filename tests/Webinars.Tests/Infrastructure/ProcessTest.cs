using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Webinars.Tests.Infrastructure;

/// <summary>
/// A test that runs the app as real processes (so that it can kill them) on a PostgreSQL database of its own, made
/// before the test and dropped after it with the processes: starting instances, the staff account, and reading the
/// database behind the app's back.
/// </summary>
/// <param name="name">Goes into the database's name.</param>
/// <param name="maxPoolSize">Each instance's connection pool, below the server's limit, which other test runs share.</param>
public abstract class ProcessTest(string name, int maxPoolSize) : IAsyncLifetime
{
    protected const string StaffEmail = "staff@example.org";
    protected const string StaffPassword = "correct horse battery staple";

    private readonly List<AppProcess> _apps = [];

    protected string Database { get; } = $"webinars_{name}_{Guid.NewGuid():N}";

    protected string ConnectionString => new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionStringFor(Database)) { MaxPoolSize = maxPoolSize }.ConnectionString;

    /// <summary>What this test's instances get besides the database, with environment variable names (<c>Email__Smtp__Port</c>).</summary>
    protected virtual Dictionary<string, string?> Settings => [];

    public virtual Task InitializeAsync() => TestPostgres.CreateDatabaseAsync(Database);

    public virtual async Task DisposeAsync()
    {
        foreach (var app in _apps) app.Dispose();
        await TestPostgres.DropDatabaseAsync(Database);
    }

    /// <summary>Starts an instance on a free port; <paramref name="settings"/> go over <see cref="Settings"/> for this one.</summary>
    protected async Task<AppProcess> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var port = AppProcess.FreePort();
        var app = await AppProcess.StartAsync(Environment(port, settings), port);
        _apps.Add(app);
        return app;
    }

    /// <summary>Adds the staff account with the app's own command, as an operator would.</summary>
    protected async Task AddStaffAsync(Dictionary<string, string?>? settings = null)
    {
        var created = await AppProcess.RunCommandAsync(Environment(AppProcess.FreePort(), settings),
            ["users", "add", StaffEmail, "--role", "Staff", "--password", StaffPassword], TimeSpan.FromSeconds(AppProcess.PatienceSeconds));
        Assert.True(created.ExitCode == 0, $"users add: exit {created.ExitCode}: {created.Output}{created.Error}");
    }

    /// <summary>A client of <paramref name="app"/> signed in as the staff account (a bearer token).</summary>
    protected static async Task<HttpClient> StaffClientAsync(AppProcess app)
    {
        var staff = app.CreateClient();
        var login = await staff.PostAsJsonAsync("/api/auth/login", new { email = StaffEmail, password = StaffPassword });
        Assert.True(login.IsSuccessStatusCode, $"login: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        staff.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return staff;
    }

    /// <summary>Waits for <paramref name="condition"/> at most <see cref="AppProcess.PatienceSeconds"/>; the failure shows the app's output.</summary>
    protected static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, AppProcess app)
    {
        var until = System.Environment.TickCount64 + (AppProcess.PatienceSeconds * 1000L);
        while (!await condition())
        {
            if (System.Environment.TickCount64 >= until) Assert.Fail($"Waited {AppProcess.PatienceSeconds} s for {what}:\n{app.Output}");
            await Task.Delay(100);
        }
    }

    protected async Task<NpgsqlConnection> ConnectAsync()
    {
        var connection = new NpgsqlConnection(TestPostgres.ConnectionStringFor(Database));
        await connection.OpenAsync();
        return connection;
    }

    protected async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    private Dictionary<string, string?> Environment(int port, Dictionary<string, string?>? settings)
    {
        var environment = new Dictionary<string, string?>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Webinars"] = ConnectionString,
            ["RateLimiting__Enabled"] = "false",
            ["Site__BaseUrl"] = $"http://127.0.0.1:{port}",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in Settings.Concat(settings ?? [])) environment[key] = value;
        return environment;
    }
}
