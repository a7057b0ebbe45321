using NodaTime.Text;

namespace Webinars.LiveQa;

/// <summary>What each audience may see of a question: the one place the visibility rules are written.</summary>
public static class QuestionViews
{
    /// <summary>Attendees see approved and answered questions that were not merged into another.</summary>
    public static bool VisibleToAttendees(Question q) => q.MergedIntoId is null && q.Status is QuestionStatus.Approved or QuestionStatus.Answered;

    /// <summary>An attendee's own question stays visible to them while it waits for moderation.</summary>
    public static bool VisibleToAuthor(Question q) => VisibleToAttendees(q) || (q.MergedIntoId is null && q.Status == QuestionStatus.Pending);

    public static LiveQuestion ForModerator(Question q, int votes) => View(q, votes, author: q.AuthorName, mine: false);

    /// <summary>An attendee's view: an anonymous author's name is never in it, not even for the author.</summary>
    public static LiveQuestion ForAttendee(Question q, int votes, bool mine) => View(q, votes, author: q.Anonymous ? null : q.AuthorName, mine);

    public static LiveQuestion For(QaCaller caller, Question q, int votes) =>
        caller.IsModerator ? ForModerator(q, votes) : ForAttendee(q, votes, mine: q.AuthorRegistrationId == caller.RegistrationId);

    private static LiveQuestion View(Question q, int votes, string? author, bool mine) => new(
        q.Id.ToString(), q.Text, author, q.Anonymous, votes, q.Status.ToString(), q.Pinned,
        InstantPattern.ExtendedIso.Format(q.AskedAt),
        q.AnsweredAt is { } at ? InstantPattern.ExtendedIso.Format(at) : null,
        q.Answer, q.MergedIntoId?.ToString(), mine);
}
