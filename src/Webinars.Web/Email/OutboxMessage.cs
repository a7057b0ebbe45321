using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NodaTime;
using Webinars.Infrastructure;
using Webinars.Registrations;

namespace Webinars.Email;

/// <summary>
/// One email waiting to be sent, or sent. It is written in the same transaction as the change it reports, so a crash
/// loses neither; <see cref="DedupeKey"/> is unique, so the same logical message is never queued twice.
/// </summary>
public sealed class OutboxMessage
{
    public const int MaxKeyLength = 200;
    public const int MaxErrorLength = 2000;

    /// <summary>Time-ordered (UUIDv7): new rows go to the end of the key's index, and newest-first is an index scan.</summary>
    public Guid Id { get; set; } = Ids.NewV7();
    public required string Kind { get; set; }
    public required string To { get; set; }
    public string ToName { get; set; } = "";
    /// <summary>Empty until a message queued with <see cref="Outbox.QueueDeferred"/> is written, when it is sent.</summary>
    public string Subject { get; set; } = "";
    /// <summary>Null: the message is written when it is sent (see <see cref="IDeferredMail"/>), from the rows it is about.</summary>
    public string? TextBody { get; set; }
    public string? HtmlBody { get; set; }
    public string? AttachmentName { get; set; }
    public string? AttachmentContentType { get; set; }
    public string? AttachmentContent { get; set; }
    public Guid? RegistrationId { get; set; }
    public Guid? WebinarId { get; set; }
    /// <summary>The raw access token a deferred message's link carries (it exists nowhere else).</summary>
    public string? AccessToken { get; set; }
    public required string DedupeKey { get; set; }
    public Instant CreatedAt { get; set; }
    /// <summary>Not sent before this instant.</summary>
    public Instant NotBefore { get; set; }
    /// <summary>When the dispatcher may try next: <see cref="NotBefore"/> at first, then pushed back after each failure.</summary>
    public Instant NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    /// <summary>The lease of the instance that claimed it; after it runs out another instance may claim the row.</summary>
    public Instant? ClaimedUntil { get; set; }
    public string? ClaimedBy { get; set; }
    public Instant? SentAt { get; set; }
    /// <summary>Set when retrying is pointless (the server refused the address) or the message was superseded.</summary>
    public Instant? GaveUpAt { get; set; }

    public bool IsWritten => TextBody is not null;

    public string Status => SentAt is not null ? "sent" : GaveUpAt is not null || Attempts > 0 ? "failed" : "queued";

    /// <summary>Deterministic, so a message resent after a crash is recognisable as the same one.</summary>
    public string MessageId => $"{Id:N}@webinars";
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("OutboxMessages");
        b.HasIndex(m => m.DedupeKey).IsUnique();
        // The queue the dispatcher claims from, in order: only unsent rows, so it stays as small as the backlog and a
        // claim reads its LIMIT rows off the index instead of sorting every unsent message (84 ms per claim with a
        // rush's backlog of 30 000, before).
        b.HasIndex(m => m.NextAttemptAt, "IX_OutboxMessages_Due").HasFilter("\"SentAt\" IS NULL AND \"GaveUpAt\" IS NULL");
        // Only reminders are looked up by webinar (to supersede them after a reschedule): the attendees' other messages,
        // the bulk of a rush, stay out of this index.
        b.HasIndex(m => m.WebinarId, "IX_OutboxMessages_Reminders").HasFilter("\"Kind\" = 'reminder'");
        b.Property(m => m.Kind).HasMaxLength(40);
        b.Property(m => m.To).HasMaxLength(254);
        b.Property(m => m.ToName).HasMaxLength(200);
        b.Property(m => m.Subject).HasMaxLength(400);
        b.Property(m => m.AttachmentName).HasMaxLength(100);
        b.Property(m => m.AttachmentContentType).HasMaxLength(100);
        b.Property(m => m.DedupeKey).HasMaxLength(OutboxMessage.MaxKeyLength);
        b.Property(m => m.LastError).HasMaxLength(OutboxMessage.MaxErrorLength);
        b.Property(m => m.ClaimedBy).HasMaxLength(100);
        b.Property(m => m.AccessToken).HasMaxLength(AccessTokens.MaxLength);
        b.Ignore(m => m.IsWritten);
        b.Ignore(m => m.Status);
        b.Ignore(m => m.MessageId);
    }
}
