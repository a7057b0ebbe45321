using NodaTime;
using Webinars.Infrastructure;

namespace Webinars.Publishing;

/// <summary>The YouTube steps publishing takes, in the order they run.</summary>
public enum PublishingStep
{
    ReadVideo,
    MakePublic,
    AppendRecapLink,
    AddToPlaylist,
}

public enum PublishingJobStatus
{
    Pending,
    /// <summary>Waiting for YouTube's daily quota to reset.</summary>
    Deferred,
    Done,
    /// <summary>YouTube refused it (not found, forbidden): staff must act; not retried.</summary>
    Failed,
}

/// <summary>
/// One YouTube step of publishing, kept durably like the outbox's messages: a row per (webinar, step), claimed with a
/// lease by one instance, done at most once (each step checks YouTube before it writes), resumed after a restart.
/// </summary>
public sealed class PublishingJob
{
    public const int MaxErrorLength = 1000;

    public Guid Id { get; set; } = Ids.NewV7();
    public Guid WebinarId { get; set; }
    public PublishingStep Step { get; set; }
    public PublishingJobStatus Status { get; set; }
    public int Attempts { get; set; }
    public Instant NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public Instant? ClaimedUntil { get; set; }
    public string? ClaimedBy { get; set; }
    public Instant? DoneAt { get; set; }
}
