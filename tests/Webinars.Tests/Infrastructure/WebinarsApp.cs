using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using NodaTime.Testing;
using Webinars.Accounts;
using Webinars.Data;

namespace Webinars.Tests.Infrastructure;

/// <summary>
/// The whole app in memory on one database. Subclasses pick the provider; the same tests run on both.
/// The clock is a <see cref="FakeClock"/> that tests move.
/// </summary>
public abstract class WebinarsApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly Instant DefaultNow = Instant.FromUtc(2026, 11, 29, 12, 0);

    public FakeClock Clock { get; } = new(DefaultNow);

    public abstract DatabaseProvider Provider { get; }

    protected abstract string ConnectionString { get; }

    /// <summary>The database this app uses, for a second instance that shares it.</summary>
    public string SharedConnectionString => ConnectionString;

    /// <summary>Extra configuration (keys as in appsettings, ':' separated) for a subclass or a test.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public new virtual async Task DisposeAsync() => await base.DisposeAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("ConnectionStrings:Webinars", ConnectionString);
        builder.UseSetting("RateLimiting:Enabled", "false");
        // Outside Development the address is required (SiteOptions); the tests use a developer's one unless they say.
        builder.UseSetting("Site:BaseUrl", "http://localhost:5080");
        builder.UseSetting("Email:PickupDirectory", Path.Combine(Path.GetTempPath(), $"webinars-mail-{Guid.NewGuid():N}"));
        foreach (var (key, value) in TestCertificate.Settings) builder.UseSetting(key, value);
        // Tests read the outbox as queued (a sent message has its token cleared) and dispatch explicitly; those that
        // test the background loop turn it on.
        builder.UseSetting("Email:BackgroundDispatch", "false");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IClock>();
            services.AddSingleton<IClock>(Clock);
            // A query whose rows depend on the database's whim (Skip/Take without OrderBy) fails the test that runs it.
            services.ConfigureDbContext<SqliteWebinarsDbContext>(Strict);
            services.ConfigureDbContext<PostgresWebinarsDbContext>(Strict);
        });
    }

    private static void Strict(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Throw(CoreEventId.RowLimitingOperationWithoutOrderByWarning));

    /// <summary>A client signed in with a bearer token from POST /api/auth/login, for an account made on the spot.</summary>
    public async Task<HttpClient> CreateClientWithRoleAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.org";
        const string password = "correct horse battery";
        await using (var scope = Services.CreateAsyncScope())
        {
            var created = await UsersCommand.CreateAsync(scope.ServiceProvider, email, password, role);
            Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        var client = CreateClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<LoginResponse>())!.AccessToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public Task<HttpClient> CreateStaffClientAsync() => CreateClientWithRoleAsync(Roles.Staff);

    public async Task WithDbAsync(Func<WebinarsDbContext, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<WebinarsDbContext>());
    }

    private sealed record LoginResponse(string AccessToken, long ExpiresIn);
}

/// <summary>SQLite in a throwaway file.</summary>
public class SqliteApp : WebinarsApp
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"webinars-test-{Guid.NewGuid():N}.db");

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string ConnectionString => $"Data Source={_file}";

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(f);
    }
}

/// <summary>A fresh database on the throwaway PostgreSQL cluster that ./test.sh starts.</summary>
public class PostgresApp : WebinarsApp
{
    private readonly string _database = $"webinars_test_{Guid.NewGuid():N}";

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string ConnectionString => TestPostgres.ConnectionStringFor(_database);

    public override async Task InitializeAsync() => await TestPostgres.CreateDatabaseAsync(_database);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_database);
    }
}
