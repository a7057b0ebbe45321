using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;
using Webinars.Infrastructure;

namespace Webinars.Topics;

/// <summary>A topic's fields after validation.</summary>
public sealed record TopicDraft(string Name, string Description);

/// <summary>What the topics API and the staff topic pages share: validating, creating (with a unique slug) and editing.</summary>
public sealed class TopicService(WebinarsDbContext db, IClock clock)
{
    /// <summary>Checks a name and a description; null with <paramref name="errors"/> filled when they do not do.</summary>
    public static TopicDraft? Validate(string? name, string? description, FieldErrors errors)
    {
        var validName = errors.Required("name", name, Topic.MaxNameLength);
        var validDescription = errors.Bounded("description", description, Topic.MaxDescriptionLength) ?? "";
        return errors.Any ? null : new TopicDraft(validName!, validDescription);
    }

    public Task<List<Topic>> ListAsync(CancellationToken ct) => db.Topics.AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Slug).ToListAsync(ct);

    public Task<Topic?> FindAsync(string slug, CancellationToken ct) => db.Topics.FirstOrDefaultAsync(t => t.Slug == slug, ct);

    /// <summary>Another topic with this name (ignoring case and spaces around it), which staff are warned about.</summary>
    public async Task<Topic?> SameNameAsync(string name, string? exceptSlug, CancellationToken ct)
    {
        // Topics are few (tens): comparing in memory keeps the rule the same on both providers.
        var others = await db.Topics.AsNoTracking().Where(t => t.Slug != exceptSlug).OrderBy(t => t.Slug).ToListAsync(ct);
        return others.FirstOrDefault(t => string.Equals(t.Name.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Saves a new topic with a slug made from its name; a concurrent topic that took the same slug first makes this one
    /// take the next free slug, never an error.
    /// </summary>
    public async Task<Topic> CreateAsync(TopicDraft draft, string actor, CancellationToken ct)
    {
        var baseSlug = Slugs.From(draft.Name);
        Task<bool> Taken(string s) => db.Topics.AnyAsync(t => t.Slug == s, ct);
        var topic = new Topic
        {
            Slug = await Slugs.UniqueAsync(baseSlug, Taken),
            Name = draft.Name,
            Description = draft.Description,
            DescriptionHtml = Markdown.ToSafeHtml(draft.Description),
            CreatedAt = clock.GetCurrentInstant(),
        };
        db.Topics.Add(topic);
        var audit = Audit(actor, "topic.create", topic.Slug);
        await Slugs.SaveAsync(db, baseSlug, () => topic.Slug, Taken, s => topic.Slug = audit.Subject = s, ct);
        return topic;
    }

    /// <summary>Changes a topic's name and description; its slug (in links and feed addresses) stays.</summary>
    public async Task UpdateAsync(Topic topic, TopicDraft draft, string actor, CancellationToken ct)
    {
        topic.Name = draft.Name;
        topic.Description = draft.Description;
        topic.DescriptionHtml = Markdown.ToSafeHtml(draft.Description);
        Audit(actor, "topic.update", topic.Slug);
        await db.SaveChangesAsync(ct);
    }

    private AuditEntry Audit(string actor, string action, string subject)
    {
        var entry = new AuditEntry { At = clock.GetCurrentInstant(), Actor = actor, Action = action, Subject = subject };
        db.AuditEntries.Add(entry);
        return entry;
    }
}
