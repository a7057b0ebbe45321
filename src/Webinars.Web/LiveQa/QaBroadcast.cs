using Microsoft.AspNetCore.SignalR;

namespace Webinars.LiveQa;

/// <summary>
/// Tells each audience what changed, after the change is committed: moderators everything, attendees only what they
/// may see (design.md), and the author their own pending question. Goes through the hub context, so with the Redis
/// backplane every instance's clients get it. A message that cannot be sent (Redis down) is logged, not thrown: the
/// change is committed, so its caller is told it succeeded, and clients converge through the snapshot they take
/// again when they reconnect (decision 0005).
/// </summary>
public sealed class QaBroadcast(IHubContext<QaHub, IQaClient> hub, ILogger<QaBroadcast> logger)
{
    /// <param name="wasVisible">Whether attendees could see the question before this change.</param>
    public async Task SavedAsync(Question q, int votes, bool isNew, bool wasVisible)
    {
        try
        {
            await SendAsync(q, votes, isNew, wasVisible);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Question {Question} was saved but not broadcast; clients catch up when they join again", q.Id);
        }
    }

    private async Task SendAsync(Question q, int votes, bool isNew, bool wasVisible)
    {
        var moderators = hub.Clients.Group(QaCaller.Moderators(q.WebinarId));
        var forModerators = QuestionViews.ForModerator(q, votes);
        await (isNew ? moderators.QuestionAdded(forModerators) : moderators.QuestionChanged(forModerators));

        var attendees = hub.Clients.Group(QaCaller.Attendees(q.WebinarId));
        var visible = QuestionViews.VisibleToAttendees(q);
        if (visible)
        {
            var view = QuestionViews.ForAttendee(q, votes, mine: false);
            await (wasVisible ? attendees.QuestionChanged(view) : attendees.QuestionAdded(view));
        }
        else if (wasVisible)
        {
            await attendees.QuestionRemoved(q.Id.ToString());
        }

        // Sent after the group's message, so the author's connections end with their own view ("mine").
        var author = hub.Clients.Group(QaCaller.Registration(q.AuthorRegistrationId));
        if (QuestionViews.VisibleToAuthor(q))
        {
            var mine = QuestionViews.ForAttendee(q, votes, mine: true);
            await (isNew ? author.QuestionAdded(mine) : author.QuestionChanged(mine));
        }
        else if (!isNew)
        {
            await author.QuestionRemoved(q.Id.ToString());
        }
    }
}
