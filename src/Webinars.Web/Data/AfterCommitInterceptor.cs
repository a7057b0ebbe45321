using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Webinars.Data;

/// <summary>
/// Acts on what a save wrote once it is committed: at once after a save without a transaction, else when the
/// transaction commits (and not at all when it rolls back), so nothing reacts to a state readers cannot see yet.
/// A subclass says what it notes before a save (<see cref="Note"/>, into <see cref="Noted"/>) and what it does after the
/// commit (<see cref="CommittedAsync"/>); <see cref="AfterCommit.AddAfterCommit{T}"/> registers both halves.
/// </summary>
internal abstract class AfterCommitInterceptor<TNoted> : SaveChangesInterceptor, IAfterCommit where TNoted : class, new()
{
    private readonly ConditionalWeakTable<DbContext, TNoted> _pending = [];

    protected AfterCommitInterceptor() => Commits = new CommitHalf(this);

    /// <summary>The commit half, registered as an interceptor of its own.</summary>
    public DbTransactionInterceptor Commits { get; }

    /// <summary>Notes what this save of <paramref name="context"/> is about to write, if it matters after the commit.</summary>
    protected abstract void Note(DbContext context);

    /// <summary>What was noted for one context's committed saves.</summary>
    protected abstract Task CommittedAsync(TNoted noted);

    /// <summary>The notes of <paramref name="context"/>'s pending saves, made on first use.</summary>
    protected TNoted Noted(DbContext context) => _pending.GetOrCreateValue(context);

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is { } context) Note(context);
        return base.SavingChangesAsync(eventData, result, ct);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context) Note(context);
        return base.SavingChanges(eventData, result);
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null) await FlushAsync(eventData.Context);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null) FlushAsync(eventData.Context).GetAwaiter().GetResult();
        return result;
    }

    private Task FlushAsync(DbContext? context) =>
        context is not null && _pending.TryGetValue(context, out var noted) && _pending.Remove(context) ? CommittedAsync(noted) : Task.CompletedTask;

    private void Forget(DbContext? context)
    {
        if (context is not null) _pending.Remove(context);
    }

    /// <summary>The commit half: a save inside a transaction is visible to others only once it commits.</summary>
    private sealed class CommitHalf(AfterCommitInterceptor<TNoted> saves) : DbTransactionInterceptor
    {
        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default) =>
            saves.FlushAsync(eventData.Context);

        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
            saves.FlushAsync(eventData.Context).GetAwaiter().GetResult();

        public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
        {
            saves.Forget(eventData.Context);
            return Task.CompletedTask;
        }

        public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => saves.Forget(eventData.Context);
    }
}

internal interface IAfterCommit
{
    DbTransactionInterceptor Commits { get; }
}

internal static class AfterCommit
{
    /// <summary>Registers <typeparamref name="T"/> as a singleton and both its halves as interceptors.</summary>
    public static IServiceCollection AddAfterCommit<T>(this IServiceCollection services) where T : class, IInterceptor, IAfterCommit
    {
        services.AddSingleton<T>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<T>());
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<T>().Commits);
        return services;
    }
}
