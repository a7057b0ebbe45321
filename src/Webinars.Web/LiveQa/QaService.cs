using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Registrations;

namespace Webinars.LiveQa;

/// <summary>
/// The attendee side of the live Q&amp;A: joining (the snapshot), asking and voting. Every refusal is a
/// <see cref="HubException"/> with a message for people, thrown before anything is saved.
/// </summary>
public sealed class QaService(
    WebinarsDbContext db, QaAccess access, QaBroadcast broadcast, VoteWrites writes, QaConnections connections, AttendanceService attendance,
    IClock clock, IOptions<QaOptions> options)
{
    /// <summary>Joins a webinar's Q&amp;A: the caller's groups, and everything they may see, with votes.</summary>
    public async Task<LiveQuestion[]> JoinAsync(HubCallerContext context, IGroupManager groups, string? webinarSlug, CancellationToken ct)
    {
        var webinar = string.IsNullOrWhiteSpace(webinarSlug) ? null
            : await db.Webinars.AsNoTracking().FirstOrDefaultAsync(w => w.Slug == webinarSlug, ct);
        if (webinar is null || (!webinar.IsPublic && !QaAccess.IsModerator(context.User!))) throw new HubException($"There is no webinar '{webinarSlug}'.");
        var caller = await access.ResolveAsync(context, webinar, ct);

        if (connections.Find(context) is { } previous && previous != caller) await LeaveAsync(context, groups, previous);
        if (caller.IsModerator)
        {
            await groups.AddToGroupAsync(context.ConnectionId, QaCaller.Moderators(webinar.Id), ct);
        }
        else if (caller.IsPresenter)
        {
            // The presenter screen hears what attendees hear, and is no attendee: no attendance, no asking or voting.
            await groups.AddToGroupAsync(context.ConnectionId, QaCaller.Attendees(webinar.Id), ct);
        }
        else
        {
            await groups.AddToGroupAsync(context.ConnectionId, QaCaller.Attendees(webinar.Id), ct);
            await groups.AddToGroupAsync(context.ConnectionId, QaCaller.Registration(caller.RegistrationId!.Value), ct);
            await attendance.SeenAsync(webinar, caller.RegistrationId.Value, ct);
        }

        connections.Joined(context, caller);
        return await SnapshotAsync(caller, ct);
    }

    public async Task<LiveQuestion[]> SnapshotAsync(QaCaller caller, CancellationToken ct)
    {
        var query = db.Questions.AsNoTracking().Where(q => q.WebinarId == caller.WebinarId);
        if (!caller.IsModerator)
        {
            query = query.Where(q => q.MergedIntoId == null && (q.Status == QuestionStatus.Approved || q.Status == QuestionStatus.Answered
                || (q.Status == QuestionStatus.Pending && q.AuthorRegistrationId == caller.RegistrationId)));
        }

        var questions = await query.OrderBy(q => q.AskedAt).ThenBy(q => q.Id).ToListAsync(ct);
        var counts = await QaVotes.CountsAsync(db, questions, ct);
        return [.. questions.Select(q => QuestionViews.For(caller, q, counts[q.Id]))];
    }

    /// <summary>
    /// Saves a question and answers it once committed. The same <paramref name="clientRequestId"/> again (a retried
    /// send) returns the question saved the first time; the unique index settles two racing retries.
    /// </summary>
    public async Task<LiveQuestion> AskAsync(QaCaller caller, string? clientRequestId, string? text, bool anonymous, CancellationToken ct)
    {
        await access.RequireConfirmedAsync(caller, ct);
        var author = caller.RegistrationId!.Value;
        if (string.IsNullOrWhiteSpace(clientRequestId) || clientRequestId.Length > Question.MaxClientRequestIdLength)
        {
            throw new HubException($"clientRequestId must be 1 to {Question.MaxClientRequestIdLength} characters.");
        }

        if (await FindAskedAsync(author, clientRequestId, ct) is { } earlier) return await ViewAsync(caller, earlier, ct);
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length is < Question.MinTextLength or > Question.MaxTextLength)
        {
            throw new HubException($"A question needs {Question.MinTextLength} to {Question.MaxTextLength} characters; this one has {trimmed.Length}.");
        }

        var webinar = await db.Webinars.AsNoTracking().FirstAsync(w => w.Id == caller.WebinarId, ct);
        var now = clock.GetCurrentInstant();
        if (options.Value.Closed(webinar, now) is { } closed) throw new HubException(closed);
        var name = await db.Registrations.Where(r => r.Id == author).Select(r => r.Name).FirstAsync(ct);
        var question = new Question
        {
            WebinarId = webinar.Id,
            AuthorRegistrationId = author,
            AuthorName = name,
            Anonymous = anonymous,
            Text = trimmed,
            Status = webinar.QaModerated ? QuestionStatus.Pending : QuestionStatus.Approved,
            ClientRequestId = clientRequestId,
            AskedAt = now,
            UpdatedAt = now,
        };
        db.Questions.Add(question);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.Entry(question).State = EntityState.Detached;
            return await ViewAsync(caller, (await FindAskedAsync(author, clientRequestId, ct))!, ct);
        }

        await broadcast.SavedAsync(question, votes: 0, isNew: true, wasVisible: false);
        return QuestionViews.For(caller, question, 0);
    }

    /// <summary>One vote per attendee per question (the vote's key); a repeat changes nothing.</summary>
    public Task<LiveQuestion> UpvoteAsync(QaCaller caller, string? questionId, CancellationToken ct) => VoteAsync(caller, questionId, add: true, ct);

    public Task<LiveQuestion> RemoveVoteAsync(QaCaller caller, string? questionId, CancellationToken ct) => VoteAsync(caller, questionId, add: false, ct);

    private async Task<LiveQuestion> VoteAsync(QaCaller caller, string? questionId, bool add, CancellationToken ct)
    {
        if (caller.RegistrationId is not { } voter) throw new HubException("Only attendees ask and vote; moderators moderate.");
        if (!Guid.TryParse(questionId, out var id)) throw new HubException("There is no such question to vote on.");
        // Checked, written and committed with the other votes that arrive meanwhile (VoteWrites); never cancelled
        // half-way, so an acknowledged vote is a committed one.
        ct.ThrowIfCancellationRequested();
        var (question, count) = await writes.VoteAsync(caller.WebinarId, id, voter, add);
        return QuestionViews.For(caller, question, count);
    }

    private Task<Question?> FindAskedAsync(Guid author, string clientRequestId, CancellationToken ct) =>
        db.Questions.AsNoTracking().FirstOrDefaultAsync(q => q.AuthorRegistrationId == author && q.ClientRequestId == clientRequestId, ct);

    private async Task<LiveQuestion> ViewAsync(QaCaller caller, Question q, CancellationToken ct) =>
        QuestionViews.For(caller, q, await QaVotes.CountAsync(db, q, ct));

    private static async Task LeaveAsync(HubCallerContext context, IGroupManager groups, QaCaller previous)
    {
        await groups.RemoveFromGroupAsync(context.ConnectionId, QaCaller.Moderators(previous.WebinarId));
        await groups.RemoveFromGroupAsync(context.ConnectionId, QaCaller.Attendees(previous.WebinarId));
        if (previous.RegistrationId is { } r) await groups.RemoveFromGroupAsync(context.ConnectionId, QaCaller.Registration(r));
    }
}
