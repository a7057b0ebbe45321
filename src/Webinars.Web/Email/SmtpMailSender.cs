using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.RateLimiting;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Polly;
using Polly.CircuitBreaker;
using Webinars.Infrastructure;

namespace Webinars.Email;

/// <summary>
/// MailKit over SMTP with open connections kept in a pool of <c>Email:Smtp:Connections</c>: a batch goes out over one
/// connection, message after message, instead of a connect, EHLO, AUTH and QUIT for each (which capped delivery at
/// about 20 messages/s on loopback, 3–10 per second against a TLS relay). A connection is replaced after an error,
/// after <c>MessagesPerConnection</c> messages (relays limit them) and after <c>IdleSeconds</c> unused. Connecting goes
/// through a Polly pipeline (timeout, quick retries with backoff and jitter, circuit breaker); a message that fails is
/// not retried here but given back to the outbox with its outcome, except that a message finding its reused
/// connection dead is sent once more on a fresh one (servers close idle or busy connections without notice).
/// </summary>
public sealed class SmtpMailSender : IMailSender, IAsyncDisposable
{
    private readonly SmtpOptions _smtp;
    private readonly ResiliencePipeline _connect;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<Connection> _idle = [];
    private readonly RateLimiter? _rate;
    private int _opened;

    public SmtpMailSender(IOptions<EmailOptions> options)
    {
        _smtp = options.Value.Smtp;
        _slots = new SemaphoreSlim(_smtp.Connections, _smtp.Connections);
        _connect = Resilience.Pipeline(
            e => e is not BrokenCircuitException && MailFailures.IsTransient(e),
            new RetrySettings(2, TimeSpan.FromMilliseconds(200)),
            new BreakerSettings(MinimumThroughput: 10, Sampling: TimeSpan.FromSeconds(30), Pause: TimeSpan.FromSeconds(15)),
            TimeSpan.FromSeconds(_smtp.TimeoutSeconds));
        if (_smtp.MaxPerSecond > 0)
        {
            _rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = _smtp.MaxPerSecond,
                TokensPerPeriod = _smtp.MaxPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = int.MaxValue,
                AutoReplenishment = true,
            });
        }
    }

    /// <summary>Connections opened since start (for the staff page and tests).</summary>
    public int ConnectionsOpened => Volatile.Read(ref _opened);

    public async Task<MailOutcome[]> SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken stop, Func<int, ValueTask>? accepted = null)
    {
        var outcomes = new MailOutcome[messages.Count];
        try
        {
            await _slots.WaitAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return outcomes; // none tried
        }

        try
        {
            // A batch is a conversation of two round trips a message with the server. On a thread of its own, blocked on the
            // socket, each answer wakes the sender directly; awaited, it went through the socket engine's thread and then
            // the thread pool's queue, behind the other workers' loading and writing, where a message took 7–8 ms against
            // the bare loop's 1.2–1.9 (docs/decisions/0017-confirmation-throughput.md). The socket is a blocking one
            // (BlockingSocket): one connected by .NET is on the runtime's epoll thread whatever its Blocking says (0021).
            await Task.Factory.StartNew(() => SendAll(messages, outcomes, accepted, stop), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            _slots.Release();
        }

        return outcomes;
    }

    private void SendAll(IReadOnlyList<MimeMessage> messages, MailOutcome[] outcomes, Func<int, ValueTask>? accepted, CancellationToken stop)
    {
        Connection? connection = null;
        try
        {
            connection = TakeIdle();
            for (var i = 0; i < messages.Count; i++)
            {
                if (stop.IsCancellationRequested) break;
                if (_rate is not null && !Acquire(_rate, stop)) break;
                using (var message = messages[i]) (connection, outcomes[i]) = SendOne(connection, message, stop);
                if (outcomes[i].Result == MailResult.Accepted && accepted is not null) Wait(accepted(i));
                if (outcomes[i].Result == MailResult.Deferred && connection is null)
                {
                    // No connection could carry it, or the server asked us to come back later (421): the rest waits too.
                    for (var j = i + 1; j < messages.Count; j++) outcomes[j] = outcomes[i];
                    break;
                }
            }
        }
        finally
        {
            if (connection is not null) _idle.Add(connection);
        }
    }

    private static void Wait(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully) pending.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>One message; returns the connection to go on with (null when it had to be dropped) and the outcome.</summary>
    private (Connection?, MailOutcome) SendOne(Connection? connection, MimeMessage message, CancellationToken stop)
    {
        for (var fresh = false; ; fresh = true)
        {
            if (connection is null || !connection.Usable(_smtp))
            {
                if (connection is not null) Close(connection);
                connection = null;
                try
                {
                    connection = Open(stop);
                }
                catch (Exception e)
                {
                    return (null, e is OperationCanceledException && stop.IsCancellationRequested ? default : MailOutcome.From(e));
                }
            }

            try
            {
                // Not cancelled once begun (the client's own timeout bounds it): a message cut off mid-way may have been
                // accepted all the same, and would go out again.
                connection.Client.Send(message, CancellationToken.None);
                // Accepted: nothing after this line may turn it into a failure (a retry would deliver it twice).
                connection.Used();
                return (connection, MailOutcome.Accepted);
            }
            catch (Exception e) when (!MailFailures.BreaksConnection(e) && connection.Client.IsConnected)
            {
                // Refused for this recipient or message (MailKit has reset the transaction): the connection carries on.
                return (connection, MailOutcome.From(e));
            }
            catch (Exception e)
            {
                var reused = connection.Sent > 0;
                Close(connection);
                connection = null;
                if (e is SmtpCommandException || !reused || fresh) return (null, MailOutcome.From(e));
                // The server closed a connection we had used (its limit, or idle): once more on a new one.
            }
        }
    }

    private Connection? TakeIdle()
    {
        while (_idle.TryTake(out var connection))
        {
            if (connection.Usable(_smtp)) return connection;
            Close(connection);
        }

        return null;
    }

    /// <summary>
    /// Opens a connection on the batch's own thread, which the connect, EHLO, TLS and AUTH block (so does the pipeline's
    /// backoff between attempts): the thread pool is never held by a slow or dead server.
    /// </summary>
    private Connection Open(CancellationToken ct)
    {
        var client = _connect.Execute(token =>
        {
            var attempt = new SmtpClient { Timeout = _smtp.TimeoutSeconds * 1000 };
            try
            {
                var security = !_smtp.UseTls ? SecureSocketOptions.None : _smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
                var host = _smtp.Host ?? "localhost";
                // Blocking in the kernel: the server's answer wakes this thread itself (decision 0021).
                var socket = BlockingSocket.Connect(host, _smtp.Port, TimeSpan.FromSeconds(_smtp.TimeoutSeconds));
                try
                {
                    attempt.Connect(socket, host, _smtp.Port, security, token);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                if (!string.IsNullOrEmpty(_smtp.UserName)) attempt.Authenticate(_smtp.UserName, _smtp.Password ?? "", token);
                return attempt;
            }
            catch
            {
                attempt.Dispose();
                throw;
            }
        }, ct);
        Interlocked.Increment(ref _opened);
        return new Connection(client);
    }

    private static bool Acquire(RateLimiter rate, CancellationToken ct)
    {
        try
        {
            using var lease = rate.AcquireAsync(1, ct).AsTask().GetAwaiter().GetResult();
            return lease.IsAcquired;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Says goodbye in the background, briefly: a lost QUIT must not hold up or fail anything.</summary>
    private void Close(Connection connection) => _ = QuitAsync(connection, TimeSpan.FromSeconds(Math.Min(_smtp.TimeoutSeconds, 5)));

    private static async Task QuitAsync(Connection connection, TimeSpan timeout)
    {
        try
        {
            using var quit = new CancellationTokenSource(timeout);
            if (connection.Client.IsConnected) await connection.Client.DisconnectAsync(quit: true, quit.Token);
        }
        catch (Exception)
        {
            // the connection is dropped with the client
        }
        finally
        {
            connection.Client.Dispose();
        }
    }

    /// <summary>Closes the connections left idle longer than <c>IdleSeconds</c> (called while the outbox is quiet).</summary>
    public void CloseIdle()
    {
        var keep = new List<Connection>();
        while (_idle.TryTake(out var connection))
        {
            if (connection.Usable(_smtp)) keep.Add(connection);
            else Close(connection);
        }

        foreach (var connection in keep) _idle.Add(connection);
    }

    public async ValueTask DisposeAsync()
    {
        var quits = new List<Task>();
        while (_idle.TryTake(out var connection)) quits.Add(QuitAsync(connection, TimeSpan.FromSeconds(Math.Min(_smtp.TimeoutSeconds, 5))));
        await Task.WhenAll(quits);
        _rate?.Dispose();
        _slots.Dispose();
    }

    private sealed class Connection(SmtpClient client)
    {
        private long _lastUsed = Stopwatch.GetTimestamp();

        public SmtpClient Client { get; } = client;

        public int Sent { get; private set; }

        public void Used()
        {
            Sent++;
            _lastUsed = Stopwatch.GetTimestamp();
        }

        public bool Usable(SmtpOptions smtp) =>
            Client.IsConnected
            && (smtp.MessagesPerConnection == 0 || Sent < smtp.MessagesPerConnection)
            && Stopwatch.GetElapsedTime(_lastUsed) < TimeSpan.FromSeconds(smtp.IdleSeconds);
    }
}
