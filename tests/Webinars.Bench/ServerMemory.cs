using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Webinars.Bench;

/// <summary>
/// A server's memory as the Q&amp;A bench compares it: the live managed heap after a full, blocking GC (what
/// <c>dotnet-gcdump</c> walks; the dump induces that GC) with its objects by type, and the working set beside it. The
/// live heap is what the server keeps per connection; the working set also moves with when the GC last ran and how
/// much of its budget it kept, which differs between two servers that allocate differently.
/// </summary>
public sealed partial record ServerMemory(long LiveBytes, long WorkingSet, IReadOnlyDictionary<string, (long Bytes, long Count)> Types)
{
    private static readonly string Tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-gcdump");

    public static async Task<ServerMemory> ReadAsync(int processId)
    {
        var dump = Path.Combine(Path.GetTempPath(), $"webinars-bench-{processId}-{Guid.NewGuid():N}.gcdump");
        try
        {
            await RunAsync("collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", dump, "-t", "300");
            var report = await RunAsync("report", dump);
            using var process = Process.GetProcessById(processId);
            return Parse(report, process.WorkingSet64);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    /// <summary>Per connection, the types whose live bytes grew most from <paramref name="before"/> to this reading.</summary>
    public IEnumerable<string> GrowthPerConnection(ServerMemory before, int connections, int top) =>
        Types.Select(t => (t.Key, Bytes: t.Value.Bytes - before.Types.GetValueOrDefault(t.Key).Bytes, Count: t.Value.Count - before.Types.GetValueOrDefault(t.Key).Count))
            .OrderByDescending(t => t.Bytes).Take(top)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Bytes / (double)connections,9:0} B {t.Count / (double)connections,6:0.00} objects  {t.Key}"));

    private static ServerMemory Parse(string report, long workingSet)
    {
        long live = 0;
        var types = new Dictionary<string, (long, long)>();
        foreach (var line in report.Split('\n'))
        {
            if (HeapLine().Match(line) is { Success: true } heap)
            {
                live = long.Parse(heap.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            }
            else if (TypeLine().Match(line) is { Success: true } type)
            {
                // A line is a type's average object size and count; "(Bytes > 10K)" and the like split one type by object
                // size, and are added back together.
                var name = SizeClass().Replace(type.Groups[3].Value, "").Trim();
                var (bytes, count) = types.GetValueOrDefault(name);
                var (size, objects) = (Number(type.Groups[1].Value), Number(type.Groups[2].Value));
                types[name] = (bytes + (size * objects), count + objects);
            }
        }

        return live > 0 ? new ServerMemory(live, workingSet, types) : throw new InvalidOperationException($"dotnet-gcdump report had no heap size:\n{report}");
    }

    private static long Number(string text) => long.Parse(text.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static async Task<string> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{Tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet-gcdump {args[0]} failed: {await output}{await error}");
        return await output;
    }

    [GeneratedRegex(@"^\s*([\d,]+)\s+GC Heap bytes")]
    private static partial Regex HeapLine();

    [GeneratedRegex(@"^\s*([\d,]+)\s+([\d,]+)\s+(.+?)\s*$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"\(Bytes > [\d.]+[KM]?\)")]
    private static partial Regex SizeClass();
}
