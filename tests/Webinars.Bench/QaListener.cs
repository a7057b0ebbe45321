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

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private void Seen(JsonElement question)
    {
        var id = question.GetProperty("id").GetString()!;
        Votes[id] = question.GetProperty("votes").GetInt32();
        if (question.GetProperty("status").GetString() == "Approved") Received.TryAdd(id, Stopwatch.GetTimestamp());
    }
}

public sealed record DeliveryResult(int Sent, long Delivered, long Lost, double P50Ms, double P99Ms, double PerSecond);
