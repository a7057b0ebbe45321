using System.Diagnostics;
using System.Net.Http.Json;

namespace Webinars.Bench;

public sealed record RushResult(string Name, int Concurrency, int Requests, int Succeeded, int Failed, double Seconds,
    double P50Ms, double P99Ms, int Confirmed = 0, int Capacity = int.MaxValue, int SeatsTaken = 0)
{
    public double PerSecond => Succeeded / Seconds;
}

/// <summary>N registrations sent by <c>concurrency</c> workers as fast as answers come back.</summary>
public static class Rush
{
    public static async Task<RushResult> RunAsync(string name, string url, int concurrency, int requests, string emailPrefix)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };

        // Warm up the connection pool and the app's code paths.
        await http.PostAsJsonAsync(url, Body($"{emailPrefix}-warmup"));

        var latencies = new double[requests];
        var next = -1;
        int ok = 0, failed = 0;
        var total = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync(url, Body($"{emailPrefix}-{i}"));
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.IsSuccessStatusCode) Interlocked.Increment(ref ok);
                else Interlocked.Increment(ref failed);
            }
        });
        await Task.WhenAll(workers);
        total.Stop();

        Array.Sort(latencies);
        return new RushResult(name, concurrency, requests, ok, failed, total.Elapsed.TotalSeconds,
            latencies[(int)(requests * 0.50)], latencies[Math.Min(requests - 1, (int)(requests * 0.99))]);
    }

    /// <summary>One registration through the app's API, as an attendee makes it; fails loudly if refused.</summary>
    public static async Task RegisterAsync(string url, string id)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.PostAsJsonAsync(url, Body(id));
        response.EnsureSuccessStatusCode();
    }

    private static object Body(string id) => new
    {
        name = $"Attendee {id}",
        email = $"{id}@bench.example.org",
        organization = "Bench",
        timeZone = "Europe/Paris",
    };
}
