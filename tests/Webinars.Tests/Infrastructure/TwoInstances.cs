namespace Webinars.Tests.Infrastructure;

/// <summary>
/// Instances A and B of the app, in this process, on one PostgreSQL database of the test's own (made before the test,
/// dropped after it) and joined by the shared Redis: what happens on one must reach readers of the other.
/// </summary>
public abstract class TwoInstances<TApp>(string name) : IAsyncLifetime where TApp : WebinarsApp
{
    private readonly string _database = $"webinars_{name}_{Guid.NewGuid():N}";
    private readonly List<TApp> _apps = [];

    protected TApp A => _apps[0];

    protected TApp B => _apps[1];

    /// <summary>An instance with <see cref="TwoInstances.Settings"/> for <paramref name="database"/>.</summary>
    protected abstract TApp Instance(string database);

    public async Task InitializeAsync()
    {
        await TestPostgres.CreateDatabaseAsync(_database);
        _apps.Add(Instance(_database));
        _ = A.Services; // migrated by the first before the second starts
        _apps.Add(Instance(_database));
        _ = B.Services;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_database);
    }
}

public static class TwoInstances
{
    /// <summary>The settings that put an instance on <paramref name="database"/> and the shared Redis (WEBINARS_TEST_REDIS).</summary>
    public static Dictionary<string, string?> Settings(string database) => new()
    {
        ["ConnectionStrings:Webinars"] = TestPostgres.ConnectionStringFor(database),
        ["ConnectionStrings:Redis"] = Environment.GetEnvironmentVariable("WEBINARS_TEST_REDIS") is { Length: > 0 } redis
            ? redis
            : throw new InvalidOperationException("WEBINARS_TEST_REDIS is not set. Run ./test.sh, or `eval \"$(infra/dev-services.sh env)\"` first."),
    };
}
