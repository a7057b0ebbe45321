using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Registrations;

namespace Webinars.Email;

/// <summary>
/// The one background loop for outgoing mail: expands due reminders into outbox rows, then claims due outbox rows in
/// small batches and sends them. Every instance runs it; the claims (see <see cref="Claims"/>) make each row go to one
/// instance. A row is marked sent right after its send, so a crash resends at most the message in flight, with the same
/// Message-Id.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes, IClock clock, IMailSender sender, IOptions<EmailOptions> options, ILogger<OutboxDispatcher> logger)
    : BackgroundService
{
    private readonly EmailOptions _options = options.Value;

    /// <summary>Written into <c>ClaimedBy</c>: which instance holds a claim.</summary>
    public string InstanceId { get; } = NewInstanceId();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.BackgroundDispatch) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.DispatchIntervalSeconds));
        do
        {
            try
            {
                while (await DispatchOnceAsync(stoppingToken) > 0 && !stoppingToken.IsCancellationRequested)
                {
                    // a full batch was sent: there may be more right away
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Outbox dispatch failed; retrying in {Seconds} s", _options.DispatchIntervalSeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round: due reminders become messages, then one batch of due messages is sent. Returns how many were sent.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReminderRunner>().RunAsync(InstanceId, ct);

        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        var now = clock.GetCurrentInstant();
        var ids = await Claims.OutboxAsync(db, InstanceId, now, now + Duration.FromSeconds(_options.LeaseSeconds), _options.BatchSize, ct);
        if (ids.Count == 0) return 0;

        var rows = await db.OutboxMessages().Where(m => ids.Contains(m.Id)).ToListAsync(ct);
        // A database failure here ends the round; the claims run out and the rows are tried again.
        var gone = await scope.ServiceProvider.GetRequiredService<IDeferredMail>().WriteAsync(db, rows, ct);
        await GiveUpAsync(db, gone);
        var from = _options.FromAddress;
        var sent = 0;
        foreach (var row in rows.Except(gone).OrderBy(r => r.NextAttemptAt).ThenBy(r => r.CreatedAt))
        {
            ct.ThrowIfCancellationRequested();
            row.Attempts++;
            try
            {
                await sender.SendAsync(MailMessages.Build(row, from), ct);
                row.SentAt = clock.GetCurrentInstant();
                row.LastError = null;
                sent++;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                row.LastError = Truncate($"{e.GetType().Name}: {e.Message}");
                if (MailFailures.IsTransient(e))
                {
                    row.NextAttemptAt = clock.GetCurrentInstant() + Backoff.After(row.Attempts);
                    logger.LogWarning("Sending {MessageId} ({Kind}) failed, attempt {Attempts}; next at {Next}: {Error}", row.MessageId, row.Kind, row.Attempts, row.NextAttemptAt, e.Message);
                }
                else
                {
                    row.GaveUpAt = clock.GetCurrentInstant();
                    logger.LogError(e, "Sending {MessageId} ({Kind}) to {To} was refused; not retrying", row.MessageId, row.Kind, row.To);
                }
            }

            row.ClaimedUntil = null;
            row.ClaimedBy = null;
            // Not cancellable: once sent, the row must say so.
            await db.SaveChangesAsync(CancellationToken.None);
        }

        return sent;
    }

    /// <summary>Messages about a registration that no longer exists are not sent.</summary>
    private async Task GiveUpAsync(WebinarsDbContext db, IReadOnlyList<OutboxMessage> rows)
    {
        if (rows.Count == 0) return;
        foreach (var row in rows)
        {
            row.GaveUpAt = clock.GetCurrentInstant();
            row.LastError = $"Not sent: registration {row.RegistrationId} no longer exists.";
            row.ClaimedUntil = null;
            row.ClaimedBy = null;
            logger.LogWarning("Outbox message {MessageId} ({Kind}) given up: its registration no longer exists", row.MessageId, row.Kind);
        }

        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static string NewInstanceId()
    {
        var id = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        return id.Length <= 100 ? id : id[^100..];
    }

    private static string Truncate(string s) => s.Length <= OutboxMessage.MaxErrorLength ? s : s[..OutboxMessage.MaxErrorLength];
}
