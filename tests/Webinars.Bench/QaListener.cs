using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Webinars.Bench;

/// <summary>
/// One connected client of the Q&amp;A bench: records when each approved question first reached it, and the last vote
/// count it saw per question. Timestamps are the bench process's <see cref="Stopwatch"/>, the same clock the moderator
/// stamps its sends with, so approve-to-receive needs no clock sync.
/// </summary>
public sealed class QaListener : IAsyncDisposable
{
    private QaListener(HubConnection connection)
    {
        Connection = connection;
        connection.On<JsonElement>("QuestionAdded", Seen);
        connection.On<JsonElement>("QuestionChanged", Seen);
        connection.On<JsonElement>("VotesChanged", batch =>
        {
            foreach (var entry in batch.EnumerateArray()) Votes[entry.GetProperty("id").GetString()!] = entry.GetProperty("votes").GetInt32();
        });
        connection.On<string>("QuestionRemoved", _ => { });
    }

    public HubConnection Connection { get; }

    /// <summary>Question id → when it first arrived here as Approved.</summary>
    public ConcurrentDictionary<string, long> Received { get; } = new();

    /// <summary>Question id → the last vote count this client was told.</summary>
    public ConcurrentDictionary<string, int> Votes { get; } = new();

    /// <summary>WebSockets without the negotiate round trip, as a browser that knows the transport would connect.</summary>
    public static async Task<QaListener> ConnectAsync(string hubUrl, string? accessToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(hubUrl, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                if (accessToken is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
            })
            .Build();
        // Generous: on two shared cores a server busy accepting thousands of connections can be slow to ping.
        connection.ServerTimeout = TimeSpan.FromMinutes(2);
        var listener = new QaListener(connection);
        await connection.StartAsync();
        return listener;
    }

    /// <summary>Connects <paramref name="count"/> clients, 32 at a time; <paramref name="afterConnect"/> runs on each (Join).</summary>
    public static async Task<QaListener[]> ConnectManyAsync(int count, string hubUrl, Func<int, string?> token, Func<QaListener, Task> afterConnect)
    {
        var listeners = new QaListener[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            listeners[i] = await ConnectAsync(hubUrl, token(i));
            await afterConnect(listeners[i]);
        });
        return listeners;
    }

    /// <summary>
    /// Sends one item per 100 ms tick (10/s, steady: a slow answer does not delay the next send) and returns when each was
    /// sent; then waits until every listener has every item, or <paramref name="patience"/> passes.
    /// </summary>
    public static async Task<DeliveryResult> PaceAsync(IReadOnlyList<string> ids, Func<string, Task> send, QaListener[] listeners, TimeSpan patience)
    {
        var sent = new Dictionary<string, long>();
        var calls = new List<Task>();
        using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100)))
        {
            foreach (var id in ids)
            {
                await timer.WaitForNextTickAsync();
                sent[id] = Stopwatch.GetTimestamp();
                calls.Add(send(id));
            }
        }

        await Task.WhenAll(calls);
        var expected = (long)ids.Count * listeners.Length;
        var waited = Stopwatch.StartNew();
        while (Count(listeners, sent) < expected && waited.Elapsed < patience) await Task.Delay(200);

        var latencies = new List<double>();
        long last = 0;
        foreach (var listener in listeners)
        {
            foreach (var (id, at) in listener.Received)
            {
                if (!sent.TryGetValue(id, out var start)) continue;
                latencies.Add(Stopwatch.GetElapsedTime(start, at).TotalMilliseconds);
                last = Math.Max(last, at);
            }
        }

        latencies.Sort();
        var first = sent.Values.Min();
        var seconds = Stopwatch.GetElapsedTime(first, last).TotalSeconds;
        return new DeliveryResult(ids.Count, latencies.Count, expected - latencies.Count,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count / seconds);
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private static long Count(QaListener[] listeners, Dictionary<string, long> sent) =>
        listeners.Sum(l => (long)l.Received.Keys.Count(sent.ContainsKey));

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private void Seen(JsonElement question)
    {
        var id = question.GetProperty("id").GetString()!;
        Votes[id] = question.GetProperty("votes").GetInt32();
        if (question.GetProperty("status").GetString() == "Approved") Received.TryAdd(id, Stopwatch.GetTimestamp());
    }
}

public sealed record DeliveryResult(int Sent, long Delivered, long Lost, double P50Ms, double P99Ms, double PerSecond);
