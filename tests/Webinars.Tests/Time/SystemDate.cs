using System.Diagnostics;

namespace Webinars.Tests.Time;

/// <summary>
/// The machine's own tz database, read through GNU <c>date</c>: an oracle independent of NodaTime's embedded tzdb.
/// Started directly (no shell), with TZ and LC_ALL in its environment.
/// </summary>
internal static class SystemDate
{
    public const string DatePath = "/bin/date";
    public const string ZoneInfo = "/usr/share/zoneinfo";

    /// <summary>Fails loudly when the oracle is missing: a silent skip would hide that nothing was checked.</summary>
    public static void AssertAvailable(string zone)
    {
        Assert.True(File.Exists(DatePath), $"{DatePath} is missing; the tz oracle tests need GNU date.");
        Assert.True(Directory.Exists(ZoneInfo), $"{ZoneInfo} is missing; install the tzdata package.");
        // glibc silently falls back to UTC for an unknown TZ, so insist on the zone file itself.
        Assert.True(File.Exists(Path.Combine(ZoneInfo, zone)), $"{ZoneInfo}/{zone} is missing.");
    }

    /// <summary>Runs <c>date -d value +format</c> once.</summary>
    public static string Once(string tz, string value, string format) =>
        Run(tz, ["-d", value, format], stdin: null).Single();

    /// <summary>Runs <c>date -f - +format</c>, one input per line, one output line per input.</summary>
    public static IReadOnlyList<string> Many(string tz, IReadOnlyList<string> values, string format)
    {
        var lines = Run(tz, ["-f", "-", format], values);
        Assert.Equal(values.Count, lines.Count);
        return lines;
    }

    private static List<string> Run(string tz, string[] arguments, IReadOnlyList<string>? stdin)
    {
        var start = new ProcessStartInfo(DatePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TZ"] = tz;
        start.Environment["LC_ALL"] = "C";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {DatePath}");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        foreach (var line in stdin ?? [])
        {
            process.StandardInput.WriteLine(line);
        }

        process.StandardInput.Close();
        Assert.True(process.WaitForExit(30_000), "date did not finish in 30 s");
        Assert.True(process.ExitCode == 0, $"date {string.Join(' ', arguments)} (TZ={tz}) failed: {error.Result}");
        return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
