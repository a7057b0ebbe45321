using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NodaTime;

namespace Webinars.Bench;

/// <summary>
/// A lean SMTP server on loopback for the mail bench: accepts every message (pipelining advertised), counts connections
/// and messages per Message-Id, and notes when the last one was accepted. It does as little as a server can, so the
/// measurement is of the sender.
/// </summary>
public sealed class CountingSmtpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _connections;
    private int _accepted;
    private long _firstAcceptedTicks;
    private long _lastAcceptedTicks;

    public CountingSmtpServer()
    {
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public int Accepted => Volatile.Read(ref _accepted);

    public ConcurrentDictionary<string, int> ByMessageId { get; } = new();

    /// <summary>When the first message since <see cref="Reset"/> was accepted.</summary>
    public Instant FirstAcceptedAt => Instant.FromUnixTimeTicks(Interlocked.Read(ref _firstAcceptedTicks));

    public Instant LastAcceptedAt => Instant.FromUnixTimeTicks(Interlocked.Read(ref _lastAcceptedTicks));

    public void Reset()
    {
        Interlocked.Exchange(ref _connections, 0);
        Interlocked.Exchange(ref _accepted, 0);
        Interlocked.Exchange(ref _firstAcceptedTicks, 0);
        ByMessageId.Clear();
    }

    public async Task WaitForAsync(int distinct, TimeSpan timeout)
    {
        var until = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (ByMessageId.Count < distinct)
        {
            if (Environment.TickCount64 > until) throw new TimeoutException($"{ByMessageId.Count} of {distinct} messages arrived within {timeout}.");
            await Task.Delay(10);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                client.NoDelay = true;
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.Latin1, false, 64 * 1024);
                await using var writer = new StreamWriter(stream, Encoding.ASCII, 4096) { NewLine = "\r\n" };
                await writer.WriteLineAsync("220 bench ESMTP");
                await writer.FlushAsync();
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var command = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                    switch (command)
                    {
                        case "EHLO":
                            await writer.WriteLineAsync("250-bench");
                            await writer.WriteLineAsync("250-PIPELINING");
                            await writer.WriteLineAsync("250 8BITMIME");
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 go ahead");
                            await writer.FlushAsync();
                            string? id = null;
                            while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                            {
                                if (id is null && data.StartsWith("Message-Id:", StringComparison.OrdinalIgnoreCase)) id = data[11..].Trim();
                            }

                            ByMessageId.AddOrUpdate(id ?? "(none)", 1, (_, n) => n + 1);
                            Interlocked.Increment(ref _accepted);
                            var now = SystemClock.Instance.GetCurrentInstant().ToUnixTimeTicks();
                            Interlocked.CompareExchange(ref _firstAcceptedTicks, now, 0);
                            Interlocked.Exchange(ref _lastAcceptedTicks, now);
                            await writer.WriteLineAsync("250 2.0.0 queued");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 bye");
                            await writer.FlushAsync();
                            return;
                        default:
                            await writer.WriteLineAsync("250 ok");
                            break;
                    }

                    await writer.FlushAsync();
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // over
            }
        }
    }
}
