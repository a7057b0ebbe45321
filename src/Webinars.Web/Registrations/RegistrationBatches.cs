using System.Threading.Channels;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Webinars;

namespace Webinars.Registrations;

/// <summary>How a registration handed to <see cref="RegistrationBatches"/> came out.</summary>
public enum BatchResult
{
    /// <summary>Saved with the others; <see cref="BatchOutcome.Status"/> is its status (null: full, nothing saved).</summary>
    Registered,

    /// <summary>Staff changed the webinar since it was read; nothing was saved.</summary>
    WebinarChanged,

    /// <summary>Not saved: its email is registered for the webinar already (answer it as a repeat).</summary>
    AlreadyRegistered,

    /// <summary>Not saved: register it on its own (the group could not be saved as one, or the queue is closed).</summary>
    OneByOne,
}

public readonly record struct BatchOutcome(BatchResult Result, RegistrationStatus? Status = null);

/// <summary>
/// Group commit for a registration rush on PostgreSQL. New registrations (without answers) are saved by a few
/// statements in flight at a time; those that arrive while the database is busy with earlier ones queue and are then
/// saved together, per webinar, by one statement (<see cref="OneStatementRegistration.InsertManyAsync"/>): one round
/// trip, one lock of the webinar's row and one commit for the group instead of one each, with seats granted in
/// arrival order. A registration that arrives alone is saved at once by the single statement, so a quiet site waits
/// for nothing. Each caller is answered only after the statement that saved it committed. The queue is bounded
/// (<see cref="RegistrationOptions.MaxQueued"/>): past it a caller is told at once that the service is busy instead of
/// waiting behind an ever longer line (and holding its memory) until its client gives up.
/// </summary>
public sealed class RegistrationBatches(IServiceScopeFactory scopes, IOptions<RegistrationOptions> options, ILogger<RegistrationBatches> logger)
    : BackgroundService
{
    /// <summary>The most registrations one statement saves.</summary>
    public const int MaxBatch = 64;

    /// <summary>Statements in flight at once per instance; more only queue for the same row lock.</summary>
    private const int Consumers = 2;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(options.Value.MaxQueued) { FullMode = BoundedChannelFullMode.Wait });
    private volatile bool _closed;

    /// <exception cref="OverloadedException">The queue is full; nothing was saved.</exception>
    public async Task<BatchOutcome> RegisterAsync(Webinar webinar, NewRegistration input, Instant now, CancellationToken ct)
    {
        var pending = new Pending(webinar, input, now);
        if (!_queue.Writer.TryWrite(pending))
        {
            if (_closed) return new BatchOutcome(BatchResult.OneByOne);
            throw new OverloadedException($"{options.Value.MaxQueued} registrations are already waiting to be saved.");
        }

        return await pending.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Consumers).Select(_ => ConsumeAsync(stoppingToken)));
        }
        finally
        {
            _closed = true;
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left)) left.Done.TrySetResult(new BatchOutcome(BatchResult.OneByOne));
        }
    }

    private async Task ConsumeAsync(CancellationToken ct)
    {
        var taken = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(ct))
            {
                while (taken.Count < MaxBatch && _queue.Reader.TryRead(out var pending)) taken.Add(pending);
                // Grouped by the webinar as the callers read it: one statement checks one version of the webinar.
                foreach (var group in taken.GroupBy(p => OneStatementRegistration.DecidedOn(p.Webinar)))
                {
                    await SaveAsync([.. group]);
                }

                taken.Clear();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // shutting down: whatever is still queued is handed back below
        }
        finally
        {
            foreach (var pending in taken) pending.Done.TrySetResult(new BatchOutcome(BatchResult.OneByOne));
        }
    }

    private async Task SaveAsync(IReadOnlyList<Pending> group)
    {
        RegistrationStatus?[] statuses;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
            // Not cancellable: once the statement may have committed, its callers must hear how it went.
            statuses = group.Count == 1
                ? [await OneStatementRegistration.InsertAsync(db, group[0].Webinar, group[0].Input, group[0].Now, CancellationToken.None)]
                : await OneStatementRegistration.InsertManyAsync(db, group[0].Webinar, [.. group.Select(p => p.Input)], group[0].Now, CancellationToken.None);
        }
        catch (WebinarChangedException)
        {
            foreach (var pending in group) pending.Done.TrySetResult(new BatchOutcome(BatchResult.WebinarChanged));
            return;
        }
        catch (Exception e) when (group.Count == 1 && DbErrors.IsUniqueViolation(e))
        {
            group[0].Done.TrySetResult(new BatchOutcome(BatchResult.AlreadyRegistered));
            return;
        }
        catch (Exception e)
        {
            // Usually an email registered before (the unique index): nothing was saved, and one by one each gets the
            // answer the general path gives.
            logger.LogDebug(e, "A group of {Count} registrations was not saved as one; saving them one by one", group.Count);
            foreach (var pending in group) pending.Done.TrySetResult(new BatchOutcome(BatchResult.OneByOne));
            return;
        }

        for (var i = 0; i < group.Count; i++) group[i].Done.TrySetResult(new BatchOutcome(BatchResult.Registered, statuses[i]));
    }

    private sealed record Pending(Webinar Webinar, NewRegistration Input, Instant Now)
    {
        public TaskCompletionSource<BatchOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
