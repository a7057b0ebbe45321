using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Webinars.Bench;

/// <summary>
/// The Q&amp;A bench's attendee clients, in a process of their own (the bench's program with <c>--qa-clients</c>), so
/// that the side that paces approvals and reads the results is not also the side receiving N × 10 messages a second
/// and sending the vote storm. Commands go one line at a time on standard input, each answered by one line. Arrival
/// times are <see cref="Stopwatch"/> timestamps: on Linux that is the system-wide monotonic clock, the same in both
/// processes, so approve-to-receive still needs no clock sync.
/// </summary>
public sealed class QaClients : IAsyncDisposable
{
    private const string ServeFlag = "--qa-clients";
    private readonly Process _process;

    private QaClients(Process process) => _process = process;

    public static QaClients Start()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(QaClients).Assembly.Location);
        info.ArgumentList.Add(ServeFlag);
        return new QaClients(Process.Start(info)!);
    }

    /// <summary>Connects <paramref name="count"/> more clients (the next tokens of the file, if any) and joins them.</summary>
    public Task ConnectAsync(string hubUrl, int count, string? slug, string? tokensFile) =>
        AskAsync($"connect {hubUrl} {count} {slug ?? "-"} {tokensFile ?? "-"}");

    /// <summary>How many (client, question) arrivals of these ids there are so far.</summary>
    public async Task<long> CountAsync(string idsFile) => long.Parse(await AskAsync($"count {idsFile}"), CultureInfo.InvariantCulture);

    /// <summary>Writes each arrival's latency (ms, one a line) to <paramref name="outFile"/>; returns the last arrival's timestamp.</summary>
    public async Task<long> LatenciesAsync(string sentFile, string outFile) => long.Parse(await AskAsync($"latencies {sentFile} {outFile}"), CultureInfo.InvariantCulture);

    /// <summary>The vote storm from every client; see <see cref="StormAsync(QaListener[], string[], int, int)"/>.</summary>
    public async Task<(int Sent, int Failed, double SendSeconds, double AckSeconds, double[] AnswerMs)> VotesAsync(string idsFile, int perSecond, int seconds)
    {
        var parts = (await AskAsync($"votes {idsFile} {perSecond} {seconds}")).Split(' ');
        var numbers = parts.Skip(2).Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), numbers[0], numbers[1], numbers[2..]);
    }

    /// <summary>How many clients were last told exactly the counts in the file ("id count" lines).</summary>
    public async Task<int> ConvergedAsync(string expectedFile) => int.Parse(await AskAsync($"converged {expectedFile}"), CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) await AskAsync("close");
        }
        catch (IOException)
        {
        }

        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private async Task<string> AskAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        var answer = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException($"The clients' process ended during '{command}'.");
        return answer.StartsWith("ok", StringComparison.Ordinal) ? answer[2..].Trim() : throw new InvalidOperationException($"'{command}': {answer}");
    }

    /// <summary>True when this process was started to hold the clients (it then serves commands until told to close).</summary>
    public static async Task<bool> ServeIfAskedAsync(string[] args)
    {
        if (args is not [ServeFlag]) return false;
        var listeners = new List<QaListener>();
        while (Console.In.ReadLine() is { } line)
        {
            var words = line.Split(' ');
            try
            {
                var answer = words[0] switch
                {
                    "connect" => await ConnectAsync(listeners, words),
                    "count" => Count(listeners, File.ReadAllLines(words[1]).ToHashSet()).ToString(CultureInfo.InvariantCulture),
                    "latencies" => Latencies(listeners, words[1], words[2]),
                    "votes" => await StormAsync([.. listeners], File.ReadAllLines(words[1]), int.Parse(words[2], CultureInfo.InvariantCulture), int.Parse(words[3], CultureInfo.InvariantCulture)),
                    "converged" => Converged(listeners, words[1]),
                    "close" => await CloseAsync(listeners),
                    _ => throw new InvalidOperationException($"unknown command {words[0]}"),
                };
                Console.WriteLine($"ok {answer}");
                if (words[0] == "close") return true;
            }
            catch (Exception e)
            {
                Console.WriteLine($"error {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
        }

        return true;
    }

    private static async Task<string> ConnectAsync(List<QaListener> listeners, string[] words)
    {
        var (hubUrl, count, slug, tokensFile) = (words[1], int.Parse(words[2], CultureInfo.InvariantCulture), words[3], words[4]);
        var tokens = tokensFile == "-" ? null : File.ReadAllLines(tokensFile);
        var from = listeners.Count;
        var added = await QaListener.ConnectManyAsync(count, hubUrl, i => tokens?[from + i],
            l => slug == "-" ? Task.CompletedTask : l.Connection.InvokeAsync<JsonElement>("Join", slug));
        listeners.AddRange(added);
        return listeners.Count.ToString(CultureInfo.InvariantCulture);
    }

    private static long Count(List<QaListener> listeners, HashSet<string> ids) => listeners.Sum(l => (long)l.Received.Keys.Count(ids.Contains));

    private static string Latencies(List<QaListener> listeners, string sentFile, string outFile)
    {
        var sent = File.ReadAllLines(sentFile).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        long last = 0;
        using var output = new StreamWriter(outFile);
        foreach (var listener in listeners)
        {
            foreach (var (id, at) in listener.Received)
            {
                if (!sent.TryGetValue(id, out var start)) continue;
                output.WriteLine(Stopwatch.GetElapsedTime(start, at).TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture));
                last = Math.Max(last, at);
            }
        }

        return last.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// <paramref name="perSecond"/> votes a second for <paramref name="seconds"/> s: every 100 ms, all the votes due by
    /// then (a late tick on a busy machine sends more, so the rate offered holds; a slow answer holds back nothing);
    /// vote k is client k mod N on question k div N, so every vote is a distinct (attendee, question) pair. Answers:
    /// sent, refused, seconds to send them all, seconds until the last was answered, and each vote's time from its send
    /// to its answer (p50, p99, max in ms): bounded, the server kept the pace; growing, it fell behind.
    /// </summary>
    private static async Task<string> StormAsync(QaListener[] voters, string[] ids, int perSecond, int seconds)
    {
        var total = perSecond * seconds;
        var perTick = perSecond / 10;
        var calls = new List<Task>(total);
        var answered = new double[total]; // NaN: refused, left out of the percentiles
        var failed = 0;
        var clock = Stopwatch.StartNew();
        using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100)))
        {
            for (var k = 0; k < total;)
            {
                if (k > 0) await timer.WaitForNextTickAsync();
                for (var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * perSecond) + perTick); k < due; k++)
                {
                    calls.Add(Vote(k, voters[k % voters.Length], ids[k / voters.Length]));
                }
            }
        }

        var sending = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(calls);
        var acknowledged = clock.Elapsed.TotalSeconds;
        var times = answered.Where(double.IsFinite).Order().DefaultIfEmpty(double.NaN).ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"{total} {failed} {sending:0.00} {acknowledged:0.00} {times[times.Length / 2]:0.0} {times[(int)(times.Length * 0.99)]:0.0} {times[^1]:0.0}");

        async Task Vote(int k, QaListener voter, string id)
        {
            var sent = Stopwatch.GetTimestamp();
            try
            {
                await voter.Connection.InvokeAsync<JsonElement>("Upvote", id);
                answered[k] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            }
            catch (Exception e) when (e is Microsoft.AspNetCore.SignalR.HubException or InvalidOperationException)
            {
                answered[k] = double.NaN;
                Interlocked.Increment(ref failed);
            }
        }
    }

    private static string Converged(List<QaListener> listeners, string expectedFile)
    {
        var expected = File.ReadAllLines(expectedFile).Select(l => l.Split(' ')).Select(p => (Id: p[0], Votes: int.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
        return listeners.Count(l => expected.All(e => l.Votes.GetValueOrDefault(e.Id) == e.Votes)).ToString(CultureInfo.InvariantCulture);
    }

    private static async Task<string> CloseAsync(List<QaListener> listeners)
    {
        await Parallel.ForEachAsync(listeners, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (l, _) => await l.DisposeAsync());
        listeners.Clear();
        return "";
    }
}
