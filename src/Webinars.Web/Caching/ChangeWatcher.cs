using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Webinars.Publishing;
using Webinars.Registrations;
using Webinars.Topics;
using Webinars.Webinars;

namespace Webinars.Caching;

/// <summary>
/// Evicts the reads that show what a save changed — a topic (everything), a webinar, its speakers, recording and recap,
/// a registration (seats left) — once it is committed: at once without a transaction, else when the transaction
/// commits, so no reader can render and keep the old state in between. Statements run past EF Core's save (PostgreSQL's
/// one-statement registration) call <see cref="ReadCacheEviction.EvictFor"/> themselves.
/// </summary>
internal sealed class ChangeWatcher(ReadCacheEviction eviction) : SaveChangesInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, HashSet<string>> Pending = [];

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

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null) await CommittedAsync(eventData.Context);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null) CommittedAsync(eventData.Context).GetAwaiter().GetResult();
        return result;
    }

    internal async Task CommittedAsync(DbContext? context)
    {
        if (context is not null && Pending.TryGetValue(context, out var tags) && Pending.Remove(context)) await eviction.EvictAsync(tags);
    }

    internal static void Forget(DbContext? context)
    {
        if (context is not null) Pending.Remove(context);
    }

    private static void Note(DbContext? context)
    {
        if (context is null) return;
        HashSet<string>? tags = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            foreach (var tag in TagsOf(entry)) (tags ??= Pending.GetOrCreateValue(context)).Add(tag);
        }
    }

    private static string[] TagsOf(EntityEntry entry) => entry.Entity switch
    {
        Topic => [ReadTags.All],
        Webinar w => ReadTags.ForWebinar(w.Id),
        Speaker s => ReadTags.ForWebinar(s.WebinarId),
        Registration r => ReadTags.ForWebinar(r.WebinarId),
        Payments.TicketType t => ReadTags.ForWebinar(t.WebinarId),
        // Owned by the webinar: its key is the webinar's id.
        Publication => entry.Property("WebinarId").CurrentValue is Guid id ? ReadTags.ForWebinar(id) : [ReadTags.All],
        _ => [],
    };

    /// <summary>The commit half: a save inside a transaction is visible to readers only once it commits.</summary>
    internal sealed class Commits(ChangeWatcher watcher) : DbTransactionInterceptor
    {
        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default) =>
            watcher.CommittedAsync(eventData.Context);

        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
            watcher.CommittedAsync(eventData.Context).GetAwaiter().GetResult();

        public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
        {
            Forget(eventData.Context);
            return Task.CompletedTask;
        }

        public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);
    }
}
