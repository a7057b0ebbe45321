using Microsoft.EntityFrameworkCore;
using Webinars.Data;

namespace Webinars.Email;

/// <summary>A message to queue; <see cref="Outbox.Queue"/> turns it into a row on the caller's context.</summary>
public sealed record MailDraft(string Kind, string To, string ToName, string Subject, string TextBody, string HtmlBody)
{
    public MailAttachment? Attachment { get; init; }
    public Guid? RegistrationId { get; init; }
    public Guid? WebinarId { get; init; }
}

public sealed record MailAttachment(string Name, string ContentType, string Content);

public static class Outbox
{
    public static DbSet<OutboxMessage> OutboxMessages(this WebinarsDbContext db) => db.Set<OutboxMessage>();

    /// <summary>
    /// Adds the message to <paramref name="db"/> (saved with the caller's changes). A key already pending on this context
    /// (a retried unit of work) is not added again; one already in the database is refused by the unique index.
    /// </summary>
    public static OutboxMessage? Queue(WebinarsDbContext db, MailDraft draft, string dedupeKey, NodaTime.Instant now, NodaTime.Instant? notBefore = null)
    {
        if (dedupeKey.Length > OutboxMessage.MaxKeyLength) throw new ArgumentException("Dedupe key too long.", nameof(dedupeKey));
        var pending = db.OutboxMessages().Local.Any(m => m.DedupeKey == dedupeKey && db.Entry(m).State == EntityState.Added);
        if (pending) return null;

        var message = new OutboxMessage
        {
            Kind = draft.Kind,
            To = draft.To,
            ToName = draft.ToName,
            Subject = draft.Subject,
            TextBody = draft.TextBody,
            HtmlBody = draft.HtmlBody,
            AttachmentName = draft.Attachment?.Name,
            AttachmentContentType = draft.Attachment?.ContentType,
            AttachmentContent = draft.Attachment?.Content,
            RegistrationId = draft.RegistrationId,
            WebinarId = draft.WebinarId,
            DedupeKey = dedupeKey,
            CreatedAt = now,
            NotBefore = notBefore ?? now,
            NextAttemptAt = notBefore ?? now,
        };
        db.OutboxMessages().Add(message);
        return message;
    }
}
