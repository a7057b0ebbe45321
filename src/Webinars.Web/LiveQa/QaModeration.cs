using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;
using Webinars.Registrations;

namespace Webinars.LiveQa;

/// <summary>
/// What moderators and staff do to questions. Each action checks its transition (<see cref="Transitions"/>), saves the
/// question with an audit entry (action <c>question.*</c>, subject the question id, details the webinar id) in one
/// transaction, then tells every audience.
/// </summary>
public sealed class QaModeration(WebinarsDbContext db, QaBroadcast broadcast, VoteBatches votes, IClock clock)
{
    /// <summary>The statuses each action may start from; anything else is refused with the reason.</summary>
    private static readonly Dictionary<string, QuestionStatus[]> Transitions = new()
    {
        ["approve"] = [QuestionStatus.Pending],
        ["dismiss"] = [QuestionStatus.Pending, QuestionStatus.Approved, QuestionStatus.Answered],
        ["restore"] = [QuestionStatus.Dismissed],
        ["answer"] = [QuestionStatus.Pending, QuestionStatus.Approved, QuestionStatus.Answered],
        ["pin"] = [QuestionStatus.Approved, QuestionStatus.Answered],
    };

    public Task<LiveQuestion> ApproveAsync(QaCaller caller, string? id, CancellationToken ct) =>
        ActAsync(caller, id, "approve", (q, _) => q.Status = QuestionStatus.Approved, ct);

    public Task<LiveQuestion> DismissAsync(QaCaller caller, string? id, CancellationToken ct) =>
        ActAsync(caller, id, "dismiss", (q, _) => (q.Status, q.Pinned) = (QuestionStatus.Dismissed, false), ct);

    /// <summary>Back to the queue it came from: Pending, or Approved on a webinar without moderation.</summary>
    public Task<LiveQuestion> RestoreAsync(QaCaller caller, string? id, CancellationToken ct) =>
        ActAsync(caller, id, "restore", async (q, c) =>
        {
            var moderated = await db.Webinars.Where(w => w.Id == q.WebinarId).Select(w => w.QaModerated).FirstAsync(c);
            q.Status = moderated ? QuestionStatus.Pending : QuestionStatus.Approved;
        }, ct);

    /// <summary>Answered, with an optional written answer; the first answer's instant is kept (the recap links to it).</summary>
    public Task<LiveQuestion> MarkAnsweredAsync(QaCaller caller, string? id, string? answer, CancellationToken ct)
    {
        var text = string.IsNullOrWhiteSpace(answer) ? null : answer.Trim();
        if (text?.Length > Question.MaxAnswerLength) throw new HubException($"An answer has at most {Question.MaxAnswerLength} characters; this one has {text.Length}.");
        return ActAsync(caller, id, "answer", (q, _) =>
        {
            q.AnsweredAt ??= clock.GetCurrentInstant();
            q.Status = QuestionStatus.Answered;
            q.Answer = text;
        }, ct);
    }

    /// <summary>Pins one question; the one pinned before is unpinned in the same transaction (and a unique index keeps it one).</summary>
    public Task<LiveQuestion> PinAsync(QaCaller caller, string? id, CancellationToken ct) =>
        ActAsync(caller, id, "pin", async (q, c) =>
        {
            var others = await db.Questions.Where(o => o.WebinarId == q.WebinarId && o.Pinned && o.Id != q.Id).ToListAsync(c);
            foreach (var other in others) other.Pinned = false;
            await db.SaveChangesAsync(c);
            q.Pinned = true;
            return others;
        }, ct);

    public Task<LiveQuestion> UnpinAsync(QaCaller caller, string? id, CancellationToken ct) =>
        ActAsync(caller, id, "unpin", (q, _) => q.Pinned = false, ct);

    /// <summary>Merges a duplicate into another question: its voters count there (once each), attendees stop seeing it.</summary>
    public async Task<LiveQuestion> MergeAsync(QaCaller caller, string? id, string? intoId, CancellationToken ct)
    {
        QaAccess.RequireModerator(caller);
        var into = await FindAsync(caller, intoId, ct);
        if (into.MergedIntoId is not null) throw new HubException("That question was itself merged; merge into the question it was merged into.");
        if (into.Status == QuestionStatus.Dismissed) throw new HubException("Restore that question before merging into it.");
        return await ActAsync(caller, id, "merge", async (q, c) =>
        {
            if (q.Id == into.Id) throw new HubException("A question cannot be merged into itself.");
            if (q.MergedIntoId is not null) throw new HubException("This question is already merged; unmerge it first.");
            // Its own duplicates move with it, so a group is always one level deep.
            var children = await db.Questions.Where(o => o.MergedIntoId == q.Id).ToListAsync(c);
            foreach (var child in children) child.MergedIntoId = into.Id;
            (q.MergedIntoId, q.Pinned) = (into.Id, false);
            return children.Append(into).ToList();
        }, ct, details: into.Id.ToString());
    }

    public Task<LiveQuestion> UnmergeAsync(QaCaller caller, string? id, CancellationToken ct) =>
        ActAsync(caller, id, "unmerge", async (q, c) =>
        {
            if (q.MergedIntoId is not { } root) throw new HubException("This question is not merged.");
            q.MergedIntoId = null;
            return await db.Questions.Where(o => o.Id == root).ToListAsync(c);
        }, ct);

    /// <summary>The webinar's moderation actions, newest first (the moderator console's audit trail).</summary>
    public Task<List<AuditEntry>> TrailAsync(Guid webinarId, int take, CancellationToken ct)
    {
        var webinar = webinarId.ToString();
        return db.AuditEntries.AsNoTracking().Where(a => a.Action.StartsWith("question.") && a.Details.StartsWith(webinar))
            .OrderByDescending(a => a.Id).Take(take).ToListAsync(ct);
    }

    private Task<LiveQuestion> ActAsync(QaCaller caller, string? id, string action, Action<Question, CancellationToken> change, CancellationToken ct) =>
        ActAsync(caller, id, action, (q, c) => { change(q, c); return Task.FromResult<List<Question>>([]); }, ct);

    private Task<LiveQuestion> ActAsync(QaCaller caller, string? id, string action, Func<Question, CancellationToken, Task> change, CancellationToken ct) =>
        ActAsync(caller, id, action, async (q, c) => { await change(q, c); return []; }, ct);

    /// <param name="change">Changes the question; returns other questions it touched (their counts or pins change too).</param>
    private async Task<LiveQuestion> ActAsync(
        QaCaller caller, string? id, string action, Func<Question, CancellationToken, Task<List<Question>>> change, CancellationToken ct, string? details = null)
    {
        QaAccess.RequireModerator(caller);
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var question = await FindAsync(caller, id, ct, tracked: true);
        if (Transitions.TryGetValue(action, out var from) && !from.Contains(question.Status))
        {
            throw new HubException($"A question that is {question.Status} cannot be {Past(action)}.");
        }

        var wasVisible = QuestionViews.VisibleToAttendees(question);
        var touched = await change(question, ct);
        var now = clock.GetCurrentInstant();
        question.UpdatedAt = now;
        db.AuditEntries.Add(new AuditEntry
        {
            At = now,
            Actor = caller.ModeratorName!,
            Action = "question." + action,
            Subject = question.Id.ToString(),
            Details = details is null ? caller.WebinarId.ToString() : $"{caller.WebinarId} {details}",
        });
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) || DbErrors.IsTransient(e))
        {
            throw new HubException("Another moderator changed this question at the same moment; nothing was saved. Try again.");
        }

        var count = await QaVotes.CountAsync(db, question, ct);
        await broadcast.SavedAsync(question, count, isNew: false, wasVisible);
        foreach (var other in touched)
        {
            if (action == "pin") await broadcast.SavedAsync(other, await QaVotes.CountAsync(db, other, ct), isNew: false, QuestionViews.VisibleToAttendees(other));
            else votes.Changed(other.Id);
        }

        return QuestionViews.ForModerator(question, count);
    }

    private async Task<Question> FindAsync(QaCaller caller, string? id, CancellationToken ct, bool tracked = false)
    {
        var query = tracked ? db.Questions : db.Questions.AsNoTracking();
        var question = Guid.TryParse(id, out var guid) ? await query.FirstOrDefaultAsync(q => q.Id == guid && q.WebinarId == caller.WebinarId, ct) : null;
        return question ?? throw new HubException("There is no such question in this webinar.");
    }

    private static string Past(string action) => action switch
    {
        "answer" => "marked answered",
        "pin" => "pinned",
        "dismiss" => "dismissed",
        _ => action + "d",
    };
}
