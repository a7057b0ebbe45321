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

/// <summary>The people and the link a deferred message is about; the message is written when it is sent.</summary>
public sealed record DeferredMail(string Kind, string To, string ToName, Guid RegistrationId, Guid WebinarId, string? AccessToken);

/// <summary>
/// Writes messages queued with <see cref="Outbox.QueueDeferred"/> at dispatch time, from the current rows they are about
/// (so the request that queued them did no rendering).
/// </summary>
public interface IDeferredMail
{
    /// <summary>Writes the unwritten messages among <paramref name="rows"/>; returns those whose subject no longer exists.</summary>
    Task<IReadOnlyList<OutboxMessage>> WriteAsync(WebinarsDbContext db, IReadOnlyList<OutboxMessage> rows, CancellationToken ct);
}

public static class Outbox
{
    public static DbSet<OutboxMessage> OutboxMessages(this WebinarsDbContext db) => db.Set<OutboxMessage>();

    /// <summary>
    /// Adds the message to <paramref name="db"/> (saved with the caller's changes). A key already pending on this context
    /// (a retried unit of work) is not added again; one already in the database is refused by the unique index.
    /// </summary>
    public static OutboxMessage? Queue(WebinarsDbContext db, MailDraft draft, string dedupeKey, NodaTime.Instant now, NodaTime.Instant? notBefore = null) =>
        IsPending(db, dedupeKey) ? null : Add(db, draft, dedupeKey, now, notBefore);

    /// <summary>
    /// Like <see cref="Queue"/> for a caller that knows its keys are new on this context (a reminder expansion of 10,000
    /// rows, which the per-row check of the pending ones would make quadratic).
    /// </summary>
    public static OutboxMessage Add(WebinarsDbContext db, MailDraft draft, string dedupeKey, NodaTime.Instant now, NodaTime.Instant? notBefore = null)
    {
        if (dedupeKey.Length > OutboxMessage.MaxKeyLength) throw new ArgumentException("Dedupe key too long.", nameof(dedupeKey));
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

    /// <summary>Like <see cref="Queue"/>, for a message written only when it is sent (see <see cref="IDeferredMail"/>).</summary>
    public static OutboxMessage? QueueDeferred(WebinarsDbContext db, DeferredMail mail, string dedupeKey, NodaTime.Instant now)
    {
        if (IsPending(db, dedupeKey)) return null;

        var message = new OutboxMessage
        {
            Kind = mail.Kind,
            To = mail.To,
            ToName = mail.ToName,
            RegistrationId = mail.RegistrationId,
            WebinarId = mail.WebinarId,
            AccessToken = mail.AccessToken,
            DedupeKey = dedupeKey,
            CreatedAt = now,
            NotBefore = now,
            NextAttemptAt = now,
        };
        db.OutboxMessages().Add(message);
        return message;
    }

    /// <summary>Fills in a deferred message's content, as it was sent.</summary>
    public static void Write(OutboxMessage row, MailDraft draft)
    {
        row.Subject = draft.Subject;
        row.TextBody = draft.TextBody;
        row.HtmlBody = draft.HtmlBody;
        row.AttachmentName = draft.Attachment?.Name;
        row.AttachmentContentType = draft.Attachment?.ContentType;
        row.AttachmentContent = draft.Attachment?.Content;
    }

    private static bool IsPending(WebinarsDbContext db, string dedupeKey)
    {
        if (dedupeKey.Length > OutboxMessage.MaxKeyLength) throw new ArgumentException("Dedupe key too long.", nameof(dedupeKey));
        return db.OutboxMessages().Local.Any(m => m.DedupeKey == dedupeKey && db.Entry(m).State == EntityState.Added);
    }
}
