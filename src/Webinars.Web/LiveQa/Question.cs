using NodaTime;
using Webinars.Infrastructure;

namespace Webinars.LiveQa;

public enum QuestionStatus
{
    Pending,
    Approved,
    Dismissed,
    Answered,
}

/// <summary>
/// One attendee question in a webinar's live Q&amp;A. <see cref="Votes"/> is kept by the database (an increment in the
/// same transaction as the vote row), never written from a value read earlier.
/// </summary>
public sealed class Question
{
    public const int MinTextLength = 3;
    public const int MaxTextLength = 500;
    public const int MaxAnswerLength = 2000;
    public const int MaxClientRequestIdLength = 100;

    /// <summary>Time-ordered (UUIDv7), so new rows go to the end of the key's index.</summary>
    public Guid Id { get; set; } = Ids.NewV7();
    public Guid WebinarId { get; set; }
    public Guid AuthorRegistrationId { get; set; }
    /// <summary>The author's name as it was when they asked; shown to moderators even when <see cref="Anonymous"/>.</summary>
    public required string AuthorName { get; set; }
    public bool Anonymous { get; set; }
    public required string Text { get; set; }
    public QuestionStatus Status { get; set; } = QuestionStatus.Pending;
    public bool Pinned { get; set; }
    /// <summary>The question this duplicate was merged into; its voters count towards that one.</summary>
    public Guid? MergedIntoId { get; set; }
    /// <summary>Votes on this question alone (one per registration); a merged group's count is its distinct voters.</summary>
    public int Votes { get; set; }
    /// <summary>The asking client's id for this send: a retry with the same id returns the same question.</summary>
    public required string ClientRequestId { get; set; }
    public Instant AskedAt { get; set; }
    /// <summary>When it was marked answered: the recap links the answer to that moment of the recording.</summary>
    public Instant? AnsweredAt { get; set; }
    public string? Answer { get; set; }
    public Instant UpdatedAt { get; set; }
}

/// <summary>One registration's vote on one question; the pair is unique (a database index says so).</summary>
public sealed class QuestionVote
{
    public Guid QuestionId { get; set; }
    public Guid RegistrationId { get; set; }
}

/// <summary>That a confirmed attendee was present during the live webinar, and for how long.</summary>
public sealed class Attendance
{
    public Guid Id { get; set; } = Ids.NewV7();
    /// <summary>Unique: one attendance row per registration.</summary>
    public Guid RegistrationId { get; set; }
    public Guid WebinarId { get; set; }
    public Instant FirstSeenAt { get; set; }
    public Instant LastSeenAt { get; set; }
    /// <summary>Total minutes present, counted from heartbeats at most once a minute.</summary>
    public int Minutes { get; set; }
}
