using System.Diagnostics;
using System.Globalization;
using NodaTime;
using Webinars.Time;

namespace Webinars.Tests.Time;

/// <summary>
/// An independent check of our time arithmetic: the machine's own tz database (/usr/share/zoneinfo, read by GNU
/// `date`) must agree with us on the UTC offset and abbreviation around every transition, and on local → UTC.
/// The sample stays in 2024–2025, which both databases (the system's and the one NodaTime carries) have settled.
/// </summary>
public sealed class SystemTzdbOracleTests
{
    public static TheoryData<string> Zones =>
    [
        "America/New_York", "Europe/Dublin", "Australia/Lord_Howe", "Pacific/Chatham", "America/Havana", "Asia/Kathmandu",
        "America/Santiago", "Antarctica/Troll", "Europe/Paris", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney",
    ];

    [Theory]
    [MemberData(nameof(Zones))]
    public void OffsetsAndAbbreviations_AroundTransitions_MatchTheSystemTzdb(string zoneId)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var samples = SampleInstants(zone).ToList();

        var oracle = SystemDate(zoneId, samples.Select(i => $"@{i.ToUnixTimeSeconds()}"), "+%z %Z");

        Assert.Equal(samples.Count, oracle.Count);
        for (var k = 0; k < samples.Count; k++)
        {
            var ours = TimeText.For(samples[k], Duration.FromMinutes(1), zone);
            var offset = zone.GetUtcOffset(samples[k]);
            var expected = $"{OffsetAsDate(offset)} {ours.Abbreviation}";
            Assert.True(expected == oracle[k], $"{zoneId} at {samples[k]}: we say '{expected}', the system says '{oracle[k]}'");
        }
    }

    [Theory]
    [InlineData("America/New_York", "2025-03-09 03:30")]
    [InlineData("America/New_York", "2025-01-15 09:00")]
    [InlineData("Europe/Dublin", "2025-07-01 14:00")]
    [InlineData("Australia/Lord_Howe", "2025-10-05 02:45")]
    [InlineData("Pacific/Chatham", "2025-06-01 09:00")]
    [InlineData("America/Havana", "2025-03-09 01:30")]
    [InlineData("Asia/Kathmandu", "2025-02-01 09:00")]
    [InlineData("America/Santiago", "2025-09-07 01:30")]
    [InlineData("Antarctica/Troll", "2025-03-30 03:30")]
    public void LocalToUtc_UnambiguousTimes_MatchTheSystemTzdb(string zoneId, string local)
    {
        var parsed = NodaTime.Text.LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm").Parse(local).GetValueOrThrow();

        var ours = HostTime.Resolve(parsed, DateTimeZoneProviders.Tzdb[zoneId], offset: null);
        var oracle = SystemDate("UTC", [$"TZ=\"{zoneId}\" {local}"], "+%s");

        Assert.NotNull(ours.Start);
        Assert.Equal(oracle.Single(), ours.Start!.Value.ToInstant().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
    }

    // One second before and after each transition, and the middle of each interval.
    private static IEnumerable<Instant> SampleInstants(DateTimeZone zone)
    {
        var (from, to) = (Instant.FromUtc(2024, 1, 1, 0, 0), Instant.FromUtc(2026, 1, 1, 0, 0));
        yield return from;
        foreach (var interval in zone.GetZoneIntervals(from, to))
        {
            if (interval.HasStart && interval.Start > from)
            {
                yield return interval.Start - Duration.FromSeconds(1);
                yield return interval.Start;
            }

            var end = interval.HasEnd && interval.End < to ? interval.End : to;
            var start = interval.HasStart && interval.Start > from ? interval.Start : from;
            yield return start + (end - start) / 2;
        }
    }

    private static string OffsetAsDate(Offset offset)
    {
        var sign = offset.Seconds < 0 ? "-" : "+";
        var abs = Math.Abs(offset.Seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs / 3600:00}{abs % 3600 / 60:00}");
    }

    /// <summary>Runs GNU date once for many inputs (`date -f -` reads one date per line).</summary>
    private static List<string> SystemDate(string tz, IEnumerable<string> inputs, string format)
    {
        Assert.True(File.Exists("/bin/date"), "/bin/date is missing: the oracle needs GNU date");
        Assert.True(Directory.Exists("/usr/share/zoneinfo"), "/usr/share/zoneinfo is missing: install the tzdata package");
        var info = new ProcessStartInfo("/bin/date") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add("-");
        info.ArgumentList.Add(format);
        info.Environment["TZ"] = tz;
        info.Environment["LC_ALL"] = "C";
        using var process = Process.Start(info)!;
        foreach (var line in inputs) process.StandardInput.WriteLine(line);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"date failed: {error}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
