using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Webinars.Data;
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
internal sealed class ChangeWatcher(ReadCacheEviction eviction) : AfterCommitInterceptor<HashSet<string>>
{
    protected override void Note(DbContext context)
    {
        HashSet<string>? tags = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            foreach (var tag in TagsOf(entry)) (tags ??= Noted(context)).Add(tag);
        }
    }

    protected override Task CommittedAsync(HashSet<string> tags) => eviction.EvictAsync(tags);

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
}
