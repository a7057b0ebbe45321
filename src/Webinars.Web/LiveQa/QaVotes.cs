using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Webinars.Data;

namespace Webinars.LiveQa;

/// <summary>
/// Vote counts as people see them. A question's own count is its <see cref="Question.Votes"/> column, kept by the
/// database; a question others were merged into shows its distinct voters over the whole group, so a person who voted
/// for both duplicates counts once (docs/decisions/0005-live-qa.md).
/// </summary>
public static class QaVotes
{
    public static async Task<Dictionary<Guid, int>> CountsAsync(WebinarsDbContext db, IReadOnlyCollection<Question> questions, CancellationToken ct)
    {
        var counts = questions.ToDictionary(q => q.Id, q => q.Votes);
        var ids = questions.Where(q => q.MergedIntoId is null).Select(q => q.Id).ToList();
        var roots = await db.Questions.Where(q => q.MergedIntoId != null && ids.Contains(q.MergedIntoId.Value))
            .Select(q => q.MergedIntoId!.Value).Distinct().ToListAsync(ct);
        if (roots.Count == 0) return counts;

        var groups = await (
                from v in db.QuestionVotes
                join q in db.Questions on v.QuestionId equals q.Id
                where roots.Contains(q.Id) || (q.MergedIntoId != null && roots.Contains(q.MergedIntoId.Value))
                select new { Root = q.MergedIntoId ?? q.Id, v.RegistrationId })
            .Distinct().GroupBy(x => x.Root).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        foreach (var root in roots) counts[root] = 0;
        foreach (var g in groups) counts[g.Key] = g.Count;
        return counts;
    }

    public static async Task<int> CountAsync(WebinarsDbContext db, Question q, CancellationToken ct) =>
        (await CountsAsync(db, [q], ct))[q.Id];
}

/// <summary>
/// Vote counts go out in batches: each tick (250 ms) sends, per webinar, the counts of the questions voted on since the
/// last tick, read from the database — so a storm of votes is a few messages, and counts agree across instances.
/// </summary>
public sealed class VoteBatches(IServiceScopeFactory scopes, IHubContext<QaHub, IQaClient> hub, ILogger<VoteBatches> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly ConcurrentDictionary<Guid, byte> _changed = new();

    public void Changed(Guid questionId) => _changed.TryAdd(questionId, 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (_changed.IsEmpty) continue;
            // Taken one key at a time: a vote recorded meanwhile stays for the next tick instead of being lost.
            var ids = new List<Guid>();
            foreach (var id in _changed.Keys) if (_changed.TryRemove(id, out _)) ids.Add(id);
            try
            {
                await SendAsync(ids, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Vote counts for {Count} questions not sent; retrying on the next tick", ids.Count);
                foreach (var id in ids) Changed(id);
            }
        }
    }

    private async Task SendAsync(List<Guid> ids, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        var questions = await db.Questions.AsNoTracking().Where(q => ids.Contains(q.Id)).ToListAsync(ct);
        var counts = await QaVotes.CountsAsync(db, questions, ct);
        foreach (var webinar in questions.GroupBy(q => q.WebinarId))
        {
            await hub.Clients.Group(QaCaller.Moderators(webinar.Key))
                .VotesChanged([.. webinar.Select(q => new VoteCount(q.Id.ToString(), counts[q.Id]))]);
            var visible = webinar.Where(QuestionViews.VisibleToAttendees).Select(q => new VoteCount(q.Id.ToString(), counts[q.Id])).ToArray();
            if (visible.Length > 0) await hub.Clients.Group(QaCaller.Attendees(webinar.Key)).VotesChanged(visible);
        }
    }
}
