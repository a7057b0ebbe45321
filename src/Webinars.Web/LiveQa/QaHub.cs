using Microsoft.AspNetCore.SignalR;

namespace Webinars.LiveQa;

/// <summary>The live Q&amp;A hub (<c>/hubs/qa</c>): each method hands over to the services, where the rules live.</summary>
public sealed class QaHub(QaService qa, QaModeration moderation, QaConnections connections) : Hub<IQaClient>
{
    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Forget(Context.ConnectionId);
        return Task.CompletedTask;
    }

    public Task<LiveQuestion[]> Join(string webinarSlug) => qa.JoinAsync(Context, Groups, webinarSlug, Context.ConnectionAborted);

    public Task<LiveQuestion> Ask(string clientRequestId, string text, bool anonymous) => qa.AskAsync(Caller, clientRequestId, text, anonymous, None);

    public Task<LiveQuestion> Upvote(string questionId) => qa.UpvoteAsync(Caller, questionId, None);

    public Task<LiveQuestion> RemoveVote(string questionId) => qa.RemoveVoteAsync(Caller, questionId, None);

    public Task<LiveQuestion> Approve(string id) => moderation.ApproveAsync(Caller, id, None);

    public Task<LiveQuestion> Dismiss(string id) => moderation.DismissAsync(Caller, id, None);

    public Task<LiveQuestion> Restore(string id) => moderation.RestoreAsync(Caller, id, None);

    public Task<LiveQuestion> MarkAnswered(string id, string? answer) => moderation.MarkAnsweredAsync(Caller, id, answer, None);

    public Task<LiveQuestion> Pin(string id) => moderation.PinAsync(Caller, id, None);

    public Task<LiveQuestion> Unpin(string id) => moderation.UnpinAsync(Caller, id, None);

    public Task<LiveQuestion> Merge(string id, string intoId) => moderation.MergeAsync(Caller, id, intoId, None);

    public Task<LiveQuestion> Unmerge(string id) => moderation.UnmergeAsync(Caller, id, None);

    private QaCaller Caller => connections.Of(Context);

    // A change runs to its commit even if the caller drops: its acknowledgement may be lost, never half of it.
    private static CancellationToken None => CancellationToken.None;
}
