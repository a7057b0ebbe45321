using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using OpenTelemetry.Trace;
using Webinars.Infrastructure;

namespace Webinars.Tests.Infrastructure;

/// <summary>What the app exports as traces holds no magic-link token and no hub access token.</summary>
public abstract class TelemetryTests(WebinarsApp app, ConcurrentQueue<Activity> exported)
{
    [Fact]
    public async Task Traces_MagicLinkAndHubToken_AreRedactedBeforeExport()
    {
        var linkToken = "Zq" + Guid.NewGuid().ToString("N") + "Xy01234";
        var hubToken = "hub" + Guid.NewGuid().ToString("N");
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        await client.GetAsync($"/r/{linkToken}");
        await client.GetAsync($"/hubs/qa?id=1&access_token={hubToken}");

        var link = await ExportedAsync(a => a.DisplayName.Contains("/r/", StringComparison.Ordinal));
        await ExportedAsync(a => Equals(a.GetTagItem("url.query"), $"?id=1&access_token={Telemetry.Redacted}"));
        Assert.Equal($"/r/{Telemetry.Redacted}", link.GetTagItem("url.path"));
        var everything = string.Join('\n', exported.SelectMany(a => a.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(a.DisplayName)));
        Assert.DoesNotContain(linkToken, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(hubToken, everything, StringComparison.Ordinal);
    }

    /// <summary>An activity is exported when it stops, which may be just after the response reached the client.</summary>
    private async Task<Activity> ExportedAsync(Func<Activity, bool> match)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (exported.FirstOrDefault(match) is { } found) return found;
            await Task.Delay(50, deadline.Token);
        }
    }
}

/// <summary>Telemetry on (an OTLP endpoint nobody listens on) with an in-memory exporter beside it.</summary>
public static class TracedAppSettings
{
    public static IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
    };

    public static void AddInMemoryExporter(IWebHostBuilder builder, ConcurrentQueue<Activity> exported) =>
        builder.ConfigureServices(s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(new QueueCollection(exported))));

    /// <summary>The exporter adds from its own thread while the test reads: a concurrent queue behind ICollection.</summary>
    private sealed class QueueCollection(ConcurrentQueue<Activity> queue) : ICollection<Activity>
    {
        public int Count => queue.Count;
        public bool IsReadOnly => false;
        public void Add(Activity item) => queue.Enqueue(item);
        public void Clear() => queue.Clear();
        public bool Contains(Activity item) => queue.Contains(item);
        public void CopyTo(Activity[] array, int arrayIndex) => queue.CopyTo(array, arrayIndex);
        public bool Remove(Activity item) => throw new NotSupportedException();
        public IEnumerator<Activity> GetEnumerator() => queue.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

public sealed class SqliteTracedApp : SqliteApp
{
    public ConcurrentQueue<Activity> Exported { get; } = new();

    protected override IDictionary<string, string?> Settings => TracedAppSettings.Settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        TracedAppSettings.AddInMemoryExporter(builder, Exported);
    }
}

public sealed class PostgresTracedApp : PostgresApp
{
    public ConcurrentQueue<Activity> Exported { get; } = new();

    protected override IDictionary<string, string?> Settings => TracedAppSettings.Settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        TracedAppSettings.AddInMemoryExporter(builder, Exported);
    }
}

public sealed class SqliteTelemetryTests(SqliteTracedApp app) : TelemetryTests(app, app.Exported), IClassFixture<SqliteTracedApp>;

public sealed class PostgresTelemetryTests(PostgresTracedApp app) : TelemetryTests(app, app.Exported), IClassFixture<PostgresTracedApp>;
