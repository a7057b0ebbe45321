using System.Globalization;
using System.Runtime.InteropServices;

namespace Webinars.Bench;

public static class Report
{
    /// <summary>Markdown table: each app row next to the ceiling at the same concurrency, as a ratio.</summary>
    public static void Print(List<RushResult> results, BenchOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine($"Requests per run: {options.Requests}; capacity {options.Capacity} (the rest waitlisted)");
        Console.WriteLine();
        Console.WriteLine("| run | concurrency | ok | failed | req/s | p50 ms | p99 ms | vs ceiling | confirmed / capacity | seats taken |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var ceiling = results.FirstOrDefault(x => x.Name.StartsWith("ceiling", StringComparison.Ordinal) && x.Concurrency == r.Concurrency);
            var ratio = ceiling is null || ReferenceEquals(ceiling, r) ? "1.00 (baseline)" : (r.PerSecond / ceiling.PerSecond).ToString("0.00", c);
            var seats = r.Capacity == int.MaxValue ? "–" : $"{r.Confirmed} / {r.Capacity}";
            var taken = r.Capacity == int.MaxValue ? "–" : r.SeatsTaken.ToString(c);
            Console.WriteLine(string.Create(c, $"| {r.Name} | {r.Concurrency} | {r.Succeeded} | {r.Failed} | {r.PerSecond:0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {ratio} | {seats} | {taken} |"));
        }

        var overbooked = results.Where(r => r.Confirmed > r.Capacity).ToList();
        Console.WriteLine();
        Console.WriteLine(overbooked.Count == 0 ? "Overbooking: none." : $"OVERBOOKED in {overbooked.Count} run(s)!");
    }
}
