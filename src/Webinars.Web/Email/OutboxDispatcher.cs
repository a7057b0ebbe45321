using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Registrations;

namespace Webinars.Email;

/// <summary>
/// The background work for outgoing mail, in every instance. <c>Email:Smtp:Connections</c> workers each claim a batch of
/// due messages (see <see cref="OutboxLeases"/>), send it over one connection and record the outcomes; while there is a
/// backlog they claim again at once, when there is none they wait for this instance's <see cref="OutboxSignal"/> or the
/// poll interval. A planner loop writes reminders ahead of their due instant and purges old sent rows. A message is
/// recorded sent only after the server accepted it, in groups as the batch goes (<see cref="SentRecorder"/>), so a crash
/// resends at most the batches in flight — with the same Message-Id.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes, IClock clock, IMailSender sender, OutboxSignal signal, IOptions<EmailOptions> options, ILogger<OutboxDispatcher> logger)
    : BackgroundService
{
    private static readonly Duration PurgeEvery = Duration.FromHours(1);
    private readonly EmailOptions _options = options.Value;
    // SQLite has one writer: the workers take turns here rather than on SQLite's busy handling, which Microsoft.Data.Sqlite
    // retries every 150 ms (four workers colliding on their claims and records sent 57 messages/s with the CPU idle).
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);
    private Instant _purgedAt = Instant.MinValue;

    /// <summary>Written into <c>ClaimedBy</c>: which instance holds a claim (kept on a sent row: which instance sent it).</summary>
    public string InstanceId { get; } = NewInstanceId();

    private TimeSpan Interval => TimeSpan.FromSeconds(_options.DispatchIntervalSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.BackgroundDispatch) return;
        var workers = Enumerable.Range(0, _options.UsesSmtp ? _options.Smtp.Connections : 1).Select(_ => WorkAsync(stoppingToken));
        await Task.WhenAll([PlanAsync(stoppingToken), .. workers]);
    }

    /// <summary>One round, for tests and tools: reminders are written, then one batch is sent. Returns how many were sent.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken ct)
    {
        await PlanOnceAsync(ct);
        await using var claimed = await ClaimAsync(ct);
        return claimed is null ? 0 : await SendAsync(claimed, ct);
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        // The next batch is claimed and written while this one goes out, so a connection does not sit idle through
        // the database's round trips (confirmations, written at send time, spent as long there as on the wire).
        Task<ClaimedBatch?>? next = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var wake = signal.Next;
                var early = next is not null;
                try
                {
                    var claimed = await (next ?? ClaimAsync(ct));
                    next = null;
                    if (claimed is null)
                    {
                        if (early) continue; // claimed before this wake was taken: look once more before waiting
                        if (sender is SmtpMailSender smtp) smtp.CloseIdle();
                        await OutboxSignal.WaitAsync(wake, Interval, ct);
                        continue;
                    }

                    await using (claimed)
                    {
                        next = ClaimAsync(ct); // a backlog: the next batch at once
                        await SendAsync(claimed, ct);
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    logger.LogError(e, "Outbox dispatch failed; retrying in {Seconds} s", _options.DispatchIntervalSeconds);
                    await Sleep(ct);
                }
            }
        }
        finally
        {
            if (next is not null) await ReleaseAsync(next);
        }
    }

    private async Task PlanAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await PlanOnceAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Planning reminders failed; retrying in {Seconds} s", _options.DispatchIntervalSeconds);
            }

            await Sleep(ct);
        }
    }

    private async Task PlanOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<ReminderRunner>().RunAsync(InstanceId, ct) > 0) signal.Poke();
        var now = clock.GetCurrentInstant();
        if (_options.RetainSentDays > 0 && now - _purgedAt >= PurgeEvery)
        {
            _purgedAt = now;
            var before = now - Duration.FromDays(_options.RetainSentDays);
            var purged = await scope.ServiceProvider.GetRequiredService<WebinarsDbContext>().OutboxMessages()
                .Where(m => m.SentAt < before || m.GaveUpAt < before)
                .ExecuteDeleteAsync(ct);
            if (purged > 0) logger.LogInformation("Purged {Count} outbox messages older than {Days} days", purged, _options.RetainSentDays);
        }
    }

    /// <summary>Claims one batch and writes its deferred messages (stored with their sent marks); null when nothing is due.</summary>
    private async Task<ClaimedBatch?> ClaimAsync(CancellationToken ct)
    {
        var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        ClaimedBatch claimed;
        try
        {
            claimed = new ClaimedBatch(scope, await SqliteDurability.RelaxAsync(db, ct));
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }

        try
        {
            var now = clock.GetCurrentInstant();
            var ids = await WritingAsync(db, () => OutboxLeases.OutboxAsync(db, InstanceId, now, now + Duration.FromSeconds(_options.LeaseSeconds), _options.BatchSize, ct));
            if (ids.Count == 0)
            {
                await claimed.DisposeAsync();
                return null;
            }

            var rows = await db.OutboxMessages().Where(m => ids.Contains(m.Id)).ToListAsync(ct);
            // A database failure here ends the round; the claims run out and the rows are tried again.
            var gone = await scope.ServiceProvider.GetRequiredService<IDeferredMail>().WriteAsync(db, rows, ct);
            GiveUp(gone);
            claimed.Rows = rows.Except(gone).OrderBy(r => r.NextAttemptAt).ThenBy(r => r.Id).ToList();
            // What was written is stored with each message's sent mark (SentRecorder, one statement a group), not here with
            // one statement a message (decision 0020). The given-up ones are stored now (rare).
            if (gone.Count > 0) await WritingAsync(db, () => db.SaveChangesAsync(ct));
            claimed.Messages = new BuiltWhenSent(claimed.Rows, _options.FromAddress);
            return claimed;
        }
        catch
        {
            await claimed.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a claimed batch and records each outcome; returns how many were sent.</summary>
    private async Task<int> SendAsync(ClaimedBatch claimed, CancellationToken ct)
    {
        var (db, batch) = (claimed.Db, claimed.Rows);
        // No message is begun after half the lease: past its end another instance may claim the rows and send them too.
        // Counted from the claim, not from here: loading and writing the batch, and the batch before it, take time.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(TimeSpan.FromSeconds(Math.Max(0, (_options.LeaseSeconds / 2.0) - claimed.Age.TotalSeconds)));
        var recorder = new SentRecorder(db, batch, clock, write => WritingAsync(db, write), logger);
        var outcomes = await sender.SendAsync(claimed.Messages, stop.Token, recorder.Accepted);
        var recorded = await recorder.CompleteAsync();
        var sent = recorded.Count;
        for (var i = 0; i < batch.Count; i++)
        {
            if (!recorded.Contains(i)) sent += Record(batch[i], outcomes[i]) ? 1 : 0;
        }

        // Not cancellable: what the server accepted must be recorded.
        await WritingAsync(db, () => db.SaveChangesAsync(CancellationToken.None));
        return sent;
    }

    /// <summary>A batch claimed ahead and not sent (shutting down): its rows are let go for the next claim at once.</summary>
    private async Task ReleaseAsync(Task<ClaimedBatch?> next)
    {
        try
        {
            await using var claimed = await next;
            if (claimed is null) return;
            foreach (var row in claimed.Rows) Record(row, default);
            await WritingAsync(claimed.Db, () => claimed.Db.SaveChangesAsync(CancellationToken.None));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Their leases run out and another round takes them.
            logger.LogWarning(e, "Releasing a batch claimed ahead failed; its messages go when their lease runs out");
        }
        catch (OperationCanceledException)
        {
            // stopped while claiming: nothing held, or leases that run out
        }
    }

    private async Task<T> WritingAsync<T>(WebinarsDbContext db, Func<Task<T>> write)
    {
        if (db.IsPostgres) return await write();
        await _sqliteWriter.WaitAsync(CancellationToken.None);
        try
        {
            return await write();
        }
        finally
        {
            _sqliteWriter.Release();
        }
    }

    private bool Record(OutboxMessage row, MailOutcome outcome)
    {
        var now = clock.GetCurrentInstant();
        row.ClaimedUntil = null;
        if (outcome.Result == MailResult.NotTried)
        {
            row.ClaimedBy = null;
            return false;
        }

        row.Attempts++;
        switch (outcome.Result)
        {
            case MailResult.Accepted:
                row.SentAt = now;
                row.LastError = null;
                row.AccessToken = null; // the link has left; no copy of it stays at rest
                return true;
            case MailResult.Deferred:
                row.ClaimedBy = null;
                row.LastError = Truncate(outcome.Error ?? "Deferred.");
                row.NextAttemptAt = now + Backoff.After(row.Attempts);
                logger.LogWarning("Sending {MessageId} ({Kind}) failed, attempt {Attempts}; next at {Next}: {Error}", row.MessageId, row.Kind, row.Attempts, row.NextAttemptAt, outcome.Error);
                return false;
            default:
                row.ClaimedBy = null;
                row.LastError = Truncate(outcome.Error ?? "Refused.");
                row.GaveUpAt = now;
                row.AccessToken = null;
                logger.LogError("Sending {MessageId} ({Kind}) to {To} was refused; not retrying: {Error}", row.MessageId, row.Kind, row.To, outcome.Error);
                return false;
        }
    }

    /// <summary>Messages about a registration that no longer exists are not sent.</summary>
    private void GiveUp(IReadOnlyList<OutboxMessage> rows)
    {
        foreach (var row in rows)
        {
            row.GaveUpAt = clock.GetCurrentInstant();
            row.LastError = $"Not sent: registration {row.RegistrationId} no longer exists.";
            row.AccessToken = null;
            row.ClaimedUntil = null;
            row.ClaimedBy = null;
            logger.LogWarning("Outbox message {MessageId} ({Kind}) given up: its registration no longer exists", row.MessageId, row.Kind);
        }
    }

    private async Task Sleep(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Interval, ct);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    public override void Dispose()
    {
        _sqliteWriter.Dispose();
        base.Dispose();
    }

    private static string NewInstanceId()
    {
        var id = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        return id.Length <= 100 ? id : id[^100..];
    }

    private static string Truncate(string s) => s.Length <= OutboxMessage.MaxErrorLength ? s : s[..OutboxMessage.MaxErrorLength];
}
