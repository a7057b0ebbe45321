using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

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
internal sealed class OutboxSaveWatcher(OutboxSignal signal) : SaveChangesInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, object> Pending = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        Note(eventData.Context);
        return base.SavingChangesAsync(eventData, result, ct);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        Saved(eventData.Context);
        return base.SavedChangesAsync(eventData, result, ct);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    internal void Committed(DbContext? context)
    {
        if (context is not null && Pending.Remove(context)) signal.Poke();
    }

    private static void Note(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added)) Pending.AddOrUpdate(context, context);
    }

    private void Saved(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null) Committed(context);
    }

    /// <summary>The commit half: a save inside a transaction is visible to the dispatcher only once it commits.</summary>
    internal sealed class Commits(OutboxSaveWatcher watcher) : DbTransactionInterceptor
    {
        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
        {
            watcher.Committed(eventData.Context);
            return Task.CompletedTask;
        }

        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => watcher.Committed(eventData.Context);
    }
}
