using NodaTime;

namespace Webinars.Publishing;

/// <summary>A question asked during the live Q&amp;A, as the recap and the follow-up emails need it.</summary>
public sealed record AskedQuestion(
    Guid Id, Guid? AuthorRegistrationId, string? AuthorName, bool Anonymous, string Text, string? Answer, Instant AskedAt, Instant? AnsweredAt)
{
    public bool IsAnswered => AnsweredAt is not null;
}

/// <summary>What happened at a webinar: the questions (merged-away and dismissed ones left out) and who attended.</summary>
public sealed record WebinarHappenings(IReadOnlyList<AskedQuestion> Questions, IReadOnlySet<Guid> AttendedRegistrationIds)
{
    public static readonly WebinarHappenings Nothing = new([], new HashSet<Guid>());
}

/// <summary>Publishing's view of the live Q&amp;A: the recap is drafted from it and the emails are chosen by it.</summary>
public interface IWebinarHappenings
{
    Task<WebinarHappenings> LoadAsync(Guid webinarId, CancellationToken ct);
}
