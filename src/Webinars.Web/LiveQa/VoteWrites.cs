using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Registrations;

namespace Webinars.LiveQa;

/// <summary>
/// Group commit for votes (as <see cref="RegistrationBatches"/> does for registrations, decision 0003): votes that
/// arrive while the database is busy are checked by three queries for the whole group (voter still Confirmed, question
/// visible, Q&amp;A open), written by one multi-row <c>INSERT … ON CONFLICT DO NOTHING</c>, counted by one increment per
/// question and committed once. Each voter is answered only after that commit. A vote arriving alone is written at
/// once, so a quiet webinar waits for nothing.
/// </summary>
public sealed class VoteWrites(IServiceScopeFactory scopes, VoteBatches broadcasts, IClock clock, IOptions<QaOptions> options, ILogger<VoteWrites> logger)
    : BackgroundService
{
    /// <summary>The most votes one transaction writes (two parameters each: well under either database's limit).</summary>
    public const int MaxBatch = 256;

    /// <summary>Transactions in flight at once per instance.</summary>
    private const int Consumers = 2;

    // Unbounded: a hub connection runs one invocation at a time, so there are never more waiting than connections.
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();

    /// <summary>Adds or removes one vote; answers once committed with the question and its count.</summary>
    /// <exception cref="HubException">Refused (not confirmed, no such question, Q&amp;A closed); nothing changed.</exception>
    public async Task<(Question Question, int Votes)> VoteAsync(Guid webinarId, Guid questionId, Guid voter, bool add)
    {
        var pending = new Pending(webinarId, questionId, voter, add);
        if (!_queue.Writer.TryWrite(pending)) throw new HubException("The Q&A is restarting; please vote again in a moment.");
        var (question, votes, refusal) = await pending.Done.Task;
        return refusal is null ? (question!, votes) : throw new HubException(refusal);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Consumers).Select(_ => ConsumeAsync(stoppingToken)));
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left)) left.Refuse("The Q&A is restarting; please vote again in a moment.");
        }
    }

    private async Task ConsumeAsync(CancellationToken ct)
    {
        var taken = new List<Pending>(MaxBatch);
        var pairs = new HashSet<(Guid, Guid)>();
        Pending? carried = null;
        try
        {
            while (carried is not null || await _queue.Reader.WaitToReadAsync(ct))
            {
                if (carried is not null) (taken, carried) = ([carried], null);
                pairs.UnionWith(taken.Select(p => p.Pair));
                // A second vote of the same voter on the same question waits for the next group, so the order of an
                // Upvote and a RemoveVote is kept and one statement never names a pair twice.
                while (taken.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                {
                    if (!pairs.Add(pending.Pair))
                    {
                        carried = pending;
                        break;
                    }

                    taken.Add(pending);
                }

                await SaveAsync(taken);
                taken = new List<Pending>(MaxBatch);
                pairs.Clear();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // shutting down: the rest is refused below
        }
        finally
        {
            foreach (var pending in taken) pending.Refuse("The Q&A is restarting; please vote again in a moment.");
            carried?.Refuse("The Q&A is restarting; please vote again in a moment.");
        }
    }

    private async Task SaveAsync(List<Pending> group)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
            // Not cancellable: once the transaction may have committed, its voters must hear how it went.
            var ct = CancellationToken.None;
            var allowed = await CheckAsync(db, group, ct);
            if (allowed.Count == 0) return;
            var changed = await DbErrors.RetryTransientAsync(() => WriteAsync(db, allowed, ct), db.ChangeTracker.Clear, logger, maxAttempts: 5, ct);
            foreach (var id in changed) broadcasts.Changed(id);

            var ids = allowed.Select(p => p.QuestionId).Distinct().ToList();
            var questions = await db.Questions.AsNoTracking().Where(q => ids.Contains(q.Id)).ToListAsync(ct);
            var counts = await QaVotes.CountsAsync(db, questions, ct);
            var byId = questions.ToDictionary(q => q.Id);
            foreach (var pending in allowed) pending.Done.TrySetResult((byId[pending.QuestionId], counts[pending.QuestionId], null));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A group of {Count} votes was not saved", group.Count);
            foreach (var pending in group) pending.Refuse("Your vote was not saved; please try again.");
        }
    }

    /// <summary>Refuses the votes that may not be cast (the checks each vote made on its own before), returns the rest.</summary>
    private async Task<List<Pending>> CheckAsync(WebinarsDbContext db, List<Pending> group, CancellationToken ct)
    {
        var voterIds = group.Select(p => p.Voter).Distinct().ToList();
        var confirmed = (await db.Registrations.Where(r => voterIds.Contains(r.Id) && r.Status == RegistrationStatus.Confirmed)
            .Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        var questionIds = group.Select(p => p.QuestionId).Distinct().ToList();
        var questions = await db.Questions.AsNoTracking().Where(q => questionIds.Contains(q.Id)).ToDictionaryAsync(q => q.Id, ct);
        var webinarIds = group.Select(p => p.WebinarId).Distinct().ToList();
        var webinars = await db.Webinars.AsNoTracking().Where(w => webinarIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
        var now = clock.GetCurrentInstant();

        var allowed = new List<Pending>(group.Count);
        foreach (var pending in group)
        {
            var refusal = !confirmed.Contains(pending.Voter) ? "Your registration is no longer confirmed."
                : !questions.TryGetValue(pending.QuestionId, out var q) || q.WebinarId != pending.WebinarId || !QuestionViews.VisibleToAttendees(q)
                    ? "There is no such question to vote on."
                : options.Value.Closed(webinars[pending.WebinarId], now);
            if (refusal is null) allowed.Add(pending);
            else pending.Refuse(refusal);
        }

        return allowed;
    }

    /// <summary>
    /// The votes and the counts in one transaction. A count moves only by the rows that actually went in (or out), as
    /// an increment in the database, so votes on any number of instances are all counted once. Rows and questions are
    /// touched in one order everywhere, so two groups never wait on each other in a circle.
    /// </summary>
    private static async Task<List<Guid>> WriteAsync(WebinarsDbContext db, List<Pending> votes, CancellationToken ct)
    {
        var steps = new Dictionary<Guid, int>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var adds = votes.Where(v => v.Add).OrderBy(v => v.QuestionId).ThenBy(v => v.Voter).ToList();
        if (adds.Count > 0)
        {
            var sql = new StringBuilder("""INSERT INTO "QuestionVotes" ("QuestionId", "RegistrationId") VALUES """);
            var values = new object[adds.Count * 2];
            for (var i = 0; i < adds.Count; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}({{{2 * i}}}, {{{(2 * i) + 1}}})");
                (values[2 * i], values[(2 * i) + 1]) = (adds[i].QuestionId, adds[i].Voter);
            }

            sql.Append(""" ON CONFLICT DO NOTHING RETURNING "QuestionId" AS "Value" """);
            foreach (var id in await db.Database.SqlQueryRaw<Guid>(sql.ToString(), values).ToListAsync(ct)) steps[id] = steps.GetValueOrDefault(id) + 1;
        }

        foreach (var remove in votes.Where(v => !v.Add).OrderBy(v => v.QuestionId).ThenBy(v => v.Voter))
        {
            if (await db.QuestionVotes.Where(v => v.QuestionId == remove.QuestionId && v.RegistrationId == remove.Voter).ExecuteDeleteAsync(ct) == 1)
            {
                steps[remove.QuestionId] = steps.GetValueOrDefault(remove.QuestionId) - 1;
            }
        }

        foreach (var (id, step) in steps.Where(s => s.Value != 0).OrderBy(s => s.Key))
        {
            await db.Questions.Where(q => q.Id == id).ExecuteUpdateAsync(s => s.SetProperty(q => q.Votes, q => q.Votes + step), ct);
        }

        await transaction.CommitAsync(ct);
        return [.. steps.Keys];
    }

    private sealed record Pending(Guid WebinarId, Guid QuestionId, Guid Voter, bool Add)
    {
        public TaskCompletionSource<(Question?, int, string?)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public (Guid, Guid) Pair => (QuestionId, Voter);

        public void Refuse(string reason) => Done.TrySetResult((null, 0, reason));
    }
}
