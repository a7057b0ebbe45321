using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using Webinars.Email;

namespace Webinars.Tests.Durability;

/// <summary>
/// Once the SMTP server has said "250" to the message's DATA, the message is delivered: whatever goes wrong after that
/// (the goodbye hangs, the connection drops) must not make the sender try again, or the attendee gets it twice.
/// </summary>
public sealed class SmtpAfterAcceptanceTests
{
    public enum AfterData
    {
        NextCommandNeverAnswered,
        ConnectionDroppedAtNextCommand,
    }

    [Theory]
    [InlineData(AfterData.NextCommandNeverAnswered)]
    [InlineData(AfterData.ConnectionDroppedAtNextCommand)]
    public async Task SmtpSender_ServerFailsAfterAcceptingTheMessage_DeliversItOnceAndReportsSuccess(AfterData behaviour)
    {
        using var server = new ScriptedSmtpServer(behaviour);
        var sender = new SmtpMailSender(Options.Create(new EmailOptions { Smtp = { Host = "127.0.0.1", Port = server.Port, TimeoutSeconds = 1 } }));
        var message = new MimeMessage { Subject = "You're registered", MessageId = $"{Guid.NewGuid():N}@webinars" };
        message.From.Add(MailboxAddress.Parse("webinars@example.org"));
        message.To.Add(MailboxAddress.Parse("ada@example.org"));
        message.Body = new TextPart("plain") { Text = "See you there." };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();

        var outcomes = await sender.SendAsync([message], deadline.Token);
        await sender.DisposeAsync(); // the goodbye is where the server misbehaves

        Assert.Equal([MailOutcome.Accepted], outcomes);
        Assert.Equal(1, server.Delivered);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    /// <summary>A minimal SMTP server on a raw socket that accepts a message, then misbehaves as told at the next command.</summary>
    private sealed class ScriptedSmtpServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _delivered;

        public ScriptedSmtpServer(AfterData behaviour)
        {
            _listener.Start();
            _ = Task.Run(() => AcceptAsync(behaviour));
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Delivered => Volatile.Read(ref _delivered);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task AcceptAsync(AfterData behaviour)
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    _ = Task.Run(() => ServeAsync(client, behaviour));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }

        private async Task ServeAsync(TcpClient client, AfterData behaviour)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    using var reader = new StreamReader(stream, Encoding.ASCII);
                    await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                    await writer.WriteLineAsync("220 scripted ESMTP");
                    var accepted = false;
                    while (await reader.ReadLineAsync(_stop.Token) is { } line)
                    {
                        var command = line.Split(' ')[0].ToUpperInvariant();
                        if (command == "DATA")
                        {
                            await writer.WriteLineAsync("354 go ahead");
                            while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                            {
                            }

                            Interlocked.Increment(ref _delivered);
                            await writer.WriteLineAsync("250 2.0.0 queued");
                            accepted = true;
                        }
                        else if (accepted)
                        {
                            // Whatever comes after the message (QUIT, normally) gets no answer.
                            if (behaviour == AfterData.ConnectionDroppedAtNextCommand)
                            {
                                client.Client.LingerState = new LingerOption(true, 0); // RST, not a polite close
                                return;
                            }

                            await Task.Delay(Timeout.Infinite, _stop.Token);
                        }
                        else
                        {
                            await writer.WriteLineAsync(command is "EHLO" or "HELO" ? "250 scripted" : "250 2.0.0 ok");
                        }
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
                {
                    // the test is over, or the client hung up
                }
            }
        }
    }
}
