using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Webinars.Data;

namespace Webinars.Email;

/// <summary>
/// Wakes this instance's idle dispatcher when a message is committed here, so it goes out at once instead of at the
/// next poll; other instances' messages are found by polling (<c>Email:DispatchIntervalSeconds</c>).
/// </summary>
public sealed class OutboxSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Taken before looking for work, so a poke between the look and the wait is not missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Poke() => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Pokes the signal of the app that <paramref name="db"/> belongs to (for statements run past EF Core's save).</summary>
    public static void PokeFor(DbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<OutboxSignal>()?.Poke();

    /// <summary>Waits for <paramref name="next"/> (from <see cref="Next"/>) or <paramref name="timeout"/>, whichever comes first.</summary>
    public static async Task WaitAsync(Task next, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await next.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            // poll
        }
    }
}

/// <summary>
/// Pokes <see cref="OutboxSignal"/> once a save that added outbox rows is committed: at once without a transaction,
/// else when the transaction commits.
/// </summary>
internal sealed class OutboxSaveWatcher(OutboxSignal signal) : AfterCommitInterceptor<OutboxSaveWatcher.Added>
{
    protected override void Note(DbContext context)
    {
        if (context.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added)) Noted(context);
    }

    protected override Task CommittedAsync(Added noted)
    {
        signal.Poke();
        return Task.CompletedTask;
    }

    /// <summary>Only that a save added outbox rows matters, not which.</summary>
    internal sealed class Added;
}
