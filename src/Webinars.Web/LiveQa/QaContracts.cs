using MessagePack;

namespace Webinars.LiveQa;

/// <summary>
/// A question as every hub method and event carries it (the contract in design.md). Ids and instants are strings so
/// both protocols carry the same camelCase names and ISO-8601 text; MessagePack's keys are spelled out for that.
/// </summary>
[MessagePackObject]
public sealed record LiveQuestion(
    [property: Key("id")] string Id,
    [property: Key("text")] string Text,
    [property: Key("author")] string? Author,
    [property: Key("anonymous")] bool Anonymous,
    [property: Key("votes")] int Votes,
    [property: Key("status")] string Status,
    [property: Key("pinned")] bool Pinned,
    [property: Key("askedAt")] string AskedAt,
    [property: Key("answeredAt")] string? AnsweredAt,
    [property: Key("answer")] string? Answer,
    [property: Key("mergedInto")] string? MergedInto,
    [property: Key("mine")] bool Mine);

/// <summary>One entry of a <see cref="IQaClient.VotesChanged"/> batch.</summary>
[MessagePackObject]
public sealed record VoteCount([property: Key("id")] string Id, [property: Key("votes")] int Votes);

/// <summary>
/// What the server sends. <c>QuestionAdded</c> and <c>QuestionChanged</c> both carry the whole question: a client
/// inserts or replaces by id, so an event for a question it already holds (or one it missed) is never a problem.
/// </summary>
public interface IQaClient
{
    Task QuestionAdded(LiveQuestion question);
    Task QuestionChanged(LiveQuestion question);
    /// <summary>Batched (about every 250 ms), only the questions whose count changed.</summary>
    Task VotesChanged(VoteCount[] votes);
    /// <summary>Attendees: a question they could see was dismissed, merged away or sent back to moderation.</summary>
    Task QuestionRemoved(string id);
}
