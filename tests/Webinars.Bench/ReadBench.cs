using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

namespace Webinars.Bench;

/// <summary><c>reads [--seconds S] [--connections C] [--trickle R] [--providers sqlite,postgres] [--postgres …]</c>.</summary>
public sealed record ReadBenchOptions(BenchOptions Bench, int Seconds, int Connections, int TricklePerSecond, string[] Providers)
{
    public static ReadBenchOptions? Parse(string[] args)
    {
        int seconds = 10, connections = 50, trickle = 5;
        string[] providers = ["Sqlite", "Postgres"];
        var rest = new List<string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--seconds": seconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--connections": connections = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--trickle": trickle = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--providers": providers = args[i + 1].Split(','); break;
                default: rest.Add(args[i]); rest.Add(args[i + 1]); break;
            }
        }

        return BenchOptions.Parse([.. rest]) is { } bench ? new ReadBenchOptions(bench, seconds, connections, trickle, providers) : null;
    }
}

/// <summary>
/// The anonymous read path (issue 11's table): each route read by C connections for S seconds against the same
/// server's <c>/health/live</c>, while registrations trickle into the webinar being read (each one evicts its kept
/// page, JSON and calendar, and the lists), on SQLite and on PostgreSQL.
/// </summary>
public static class ReadBench
{
    public static async Task<int> RunAsync(ReadBenchOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; {options.Connections} connections, " +
                          $"{options.Seconds} s per route, {options.TricklePerSecond} registrations/s into the webinar read");
        foreach (var provider in options.Providers)
        {
            var file = Path.Combine(Path.GetTempPath(), $"webinars-bench-reads-{Guid.NewGuid():N}.db");
            var settings = provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase)
                ? new Dictionary<string, string> { ["Database__Provider"] = "Sqlite", ["ConnectionStrings__Webinars"] = $"Data Source={file}" }
                : new Dictionary<string, string>();
            await using var app = await AppServer.StartAsync(options.Bench, settings);
            var registrations = await app.CreateWebinarAsync(capacity: 1_000_000);
            var slug = registrations.Split('/')[^2];
            string[] routes = ["/health/live", $"/webinars/{slug}", "/", $"/api/webinars/{slug}", $"/topics/{app.TopicSlug}/feed.rss", $"/webinars/{slug}.ics"];

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections }) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            foreach (var route in routes) await ReadAsync(http, route, options.Connections, TimeSpan.FromSeconds(Math.Max(3, options.Seconds / 2))); // JIT warm-up

            using var stop = new CancellationTokenSource();
            var trickle = TrickleAsync(registrations, options.TricklePerSecond, stop.Token);
            var results = new List<(string Route, ReadResult Result)>();
            foreach (var route in routes) results.Add((route, await ReadAsync(http, route, options.Connections, TimeSpan.FromSeconds(options.Seconds))));
            await stop.CancelAsync();
            var registered = await trickle;

            var trivial = results[0].Result.PerSecond;
            Console.WriteLine();
            Console.WriteLine($"{provider}: {registered} registrations during the run");
            Console.WriteLine("| route | req/s | p50 ms | p99 ms | failed | vs /health/live |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (route, r) in results)
            {
                var shown = route.Replace(slug, "{slug}", StringComparison.Ordinal).Replace($"/topics/{app.TopicSlug}/", "/topics/{slug}/", StringComparison.Ordinal);
                Console.WriteLine(string.Create(c, $"| `{shown}` | {r.PerSecond:0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.Failed} | {r.PerSecond / trivial:0.00}× |"));
            }

            File.Delete(file);
        }

        return 0;
    }

    private sealed record ReadResult(double PerSecond, double P50Ms, double P99Ms, int Failed);

    private static async Task<ReadResult> ReadAsync(HttpClient http, string route, int connections, TimeSpan duration)
    {
        var latencies = new List<double>[connections];
        var failed = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(async w =>
        {
            var mine = latencies[w] = new List<double>(4096);
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(route, HttpCompletionOption.ResponseContentRead);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failed);
            }
        });
        await Task.WhenAll(workers);
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new ReadResult(all.Length / clock.Elapsed.TotalSeconds, all[all.Length / 2], all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))], failed);
    }

    /// <summary>Registrations at a steady rate into the webinar being read; returns how many were taken.</summary>
    private static async Task<int> TrickleAsync(string url, int perSecond, CancellationToken ct)
    {
        if (perSecond <= 0) return 0;
        using var http = new HttpClient();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond));
        var taken = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var body = new { name = $"Reader {taken}", email = $"trickle-{Guid.NewGuid():N}@bench.example.org", organization = "Bench", timeZone = "Europe/Paris" };
                using var response = await http.PostAsJsonAsync(url, body, ct);
                if (response.IsSuccessStatusCode) taken++;
            }
        }
        catch (OperationCanceledException)
        {
            // the run is over
        }

        return taken;
    }
}
