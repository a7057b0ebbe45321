using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Webinars.Tests.Email;

/// <summary>A real SMTP server (the SmtpServer package) on a free loopback port, collecting what it receives and counting connections.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private CancellationTokenSource? _stop;
    private Task? _running;

    public int Port { get; } = FreePort();

    private int _sessions;

    public ConcurrentQueue<MimeMessage> Received { get; } = new();

    /// <summary>Connections (SMTP sessions) opened to this server.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    public IReadOnlyList<MimeMessage> To(string address) =>
        [.. Received.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase)))];

    public async Task StartAsync()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        _stop = new CancellationTokenSource();
        var server = new SmtpServer.SmtpServer(options, services);
        // Counted at EHLO/HELO, so the start-up probe below (a bare TCP connect) is not a session.
        server.SessionCreated += (_, e) => e.Context.CommandExecuting += (_, c) =>
        {
            if (c.Command is EhloCommand or HeloCommand) Interlocked.Increment(ref _sessions);
        };
        _running = server.StartAsync(_stop.Token);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"SMTP sink did not start on port {Port}.");
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was received, or fails after <paramref name="seconds"/>.</summary>
    public async Task WaitUntilAsync(Func<SmtpSink, bool> done, int seconds = 20)
    {
        var until = Environment.TickCount64 + (seconds * 1000);
        while (!done(this))
        {
            Assert.True(Environment.TickCount64 < until, $"SMTP sink: condition not met within {seconds} s ({Received.Count} received).");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop is null) return;
        await _stop.CancelAsync();
        try
        {
            await _running!;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    /// <summary>A loopback port free right now (the OS picks it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream();
            foreach (var segment in buffer) stream.Write(segment.Span);
            stream.Position = 0;
            sink.Received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
