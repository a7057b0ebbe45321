using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Webinars.Tests.Email;

/// <summary>
/// A minimal SMTP server on a raw socket that misbehaves as told: closes a connection after some messages, drops it in
/// the middle of a message's DATA or after the data but before its "250", refuses one recipient with 550, or answers
/// "421 try later". It counts connections and records the Message-Id of every message it accepted.
/// </summary>
public sealed class ScriptedSmtpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _connections;
    private int _messages;
    private int _tryLater;

    public ScriptedSmtpServer()
    {
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>After this many accepted messages a connection is closed at the next command (the server's limit).</summary>
    public int? CloseAfter { get; init; }

    /// <summary>The n-th message (1-based, over all connections) loses its connection in the middle of DATA.</summary>
    public int? DropMidDataAt { get; init; }

    /// <summary>The n-th message is received whole, counted as accepted, but its connection drops before the "250".</summary>
    public int? DropBeforeOkAt { get; init; }

    /// <summary>RCPT TO for this address is answered "550 5.1.1".</summary>
    public string? Refuse { get; init; }

    /// <summary>The first this many transactions are answered "421 4.3.2 try later" at MAIL FROM, and the connection closed.</summary>
    public int TryLater { get; init; }

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The Message-Id of each message accepted, in order, repeats included.</summary>
    public ConcurrentQueue<string> Accepted { get; } = new();

    public async Task WaitUntilAsync(Func<ScriptedSmtpServer, bool> done, int seconds = 30)
    {
        var until = Environment.TickCount64 + (seconds * 1000);
        while (!done(this))
        {
            Assert.True(Environment.TickCount64 < until, $"SMTP server: condition not met within {seconds} s ({Accepted.Count} accepted).");
            await Task.Delay(50);
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
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 scripted ESMTP");
                var accepted = 0;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var command = line.Split(' ')[0].ToUpperInvariant();
                    if (CloseAfter is { } limit && accepted >= limit && command != "QUIT")
                    {
                        Drop(client);
                        return;
                    }

                    switch (command)
                    {
                        case "EHLO" or "HELO":
                            await writer.WriteLineAsync("250 scripted");
                            break;
                        case "MAIL" when Interlocked.Increment(ref _tryLater) <= TryLater:
                            await writer.WriteLineAsync("421 4.3.2 Service busy, try later");
                            return;
                        case "RCPT" when Refuse is { } refused && line.Contains(refused, StringComparison.OrdinalIgnoreCase):
                            await writer.WriteLineAsync("550 5.1.1 No such user here");
                            break;
                        case "DATA":
                            var number = Interlocked.Increment(ref _messages);
                            await writer.WriteLineAsync("354 go ahead");
                            string? messageId = null;
                            var lines = 0;
                            while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                            {
                                if (number == DropMidDataAt && ++lines == 3)
                                {
                                    Drop(client);
                                    return;
                                }

                                if (messageId is null && data.StartsWith("Message-Id:", StringComparison.OrdinalIgnoreCase)) messageId = data[11..].Trim();
                            }

                            Accepted.Enqueue(messageId ?? "(none)");
                            if (number == DropBeforeOkAt)
                            {
                                Drop(client);
                                return;
                            }

                            accepted++;
                            await writer.WriteLineAsync("250 2.0.0 queued");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 bye");
                            return;
                        default:
                            await writer.WriteLineAsync("250 2.0.0 ok");
                            break;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // the test is over, or the client hung up
            }
        }
    }

    private static void Drop(TcpClient client) => client.Client.LingerState = new LingerOption(true, 0); // RST, not a polite close
}
