using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Webinars.LiveQa;

namespace Webinars.Tests.LiveQa;

/// <summary>
/// A hub client over WebSockets as a test sees it: the questions it holds (from its last Join, then the events), and
/// when each question first reached it with each status (Stopwatch timestamps, for latency reports).
/// </summary>
public sealed class QaTestClient : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, LiveQuestion> _questions = new();
    private readonly ConcurrentDictionary<(string Id, string Status), long> _arrived = new();

    private QaTestClient(HubConnection connection, string slug)
    {
        Connection = connection;
        Slug = slug;
        connection.On<LiveQuestion>("QuestionAdded", Put);
        connection.On<LiveQuestion>("QuestionChanged", Put);
        connection.On<VoteCount[]>("VotesChanged", counts =>
        {
            foreach (var c in counts)
            {
                if (_questions.TryGetValue(c.Id, out var q)) _questions[c.Id] = q with { Votes = c.Votes };
            }
        });
        connection.On<string>("QuestionRemoved", id => _questions.TryRemove(id, out _));
    }

    public HubConnection Connection { get; }

    public string Slug { get; }

    public IReadOnlyDictionary<string, LiveQuestion> Questions => _questions;

    /// <summary>Connects to <paramref name="baseAddress"/>'s /hubs/qa with the token (registration or staff bearer) and joins.</summary>
    public static async Task<QaTestClient> ConnectAsync(Uri baseAddress, string token, string slug)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/qa"), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                o.Transports = HttpTransportType.WebSockets;
            })
            .Build();
        var client = new QaTestClient(connection, slug);
        await connection.StartAsync();
        await client.JoinAsync();
        return client;
    }

    /// <summary>Join again and take the snapshot whole, as the pages do after a reconnect.</summary>
    public async Task<LiveQuestion[]> JoinAsync()
    {
        var snapshot = await Connection.InvokeAsync<LiveQuestion[]>("Join", Slug);
        _questions.Clear();
        foreach (var q in snapshot) Put(q);
        return snapshot;
    }

    public Task<LiveQuestion> InvokeAsync(string method, params object?[] args) =>
        Connection.InvokeCoreAsync<LiveQuestion>(method, args);

    public long? ArrivedAt(string id, string status) => _arrived.TryGetValue((id, status), out var at) ? at : null;

    /// <summary>Waits (polling, generous timeout) until the condition holds; fails with <paramref name="what"/>.</summary>
    public async Task WaitUntilAsync(Func<QaTestClient, bool> condition, string what, int seconds = 60)
    {
        var until = Environment.TickCount64 + (seconds * 1000L);
        while (!condition(this))
        {
            Assert.True(Environment.TickCount64 < until, $"within {seconds} s: {what} (holds {_questions.Count} questions)");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private void Put(LiveQuestion q)
    {
        _arrived.TryAdd((q.Id, q.Status), Stopwatch.GetTimestamp());
        _questions[q.Id] = q;
    }
}
