using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;

namespace Webinars.Email;

/// <summary>
/// Records a batch's accepted messages in groups of <see cref="GroupSize"/> while the batch is still being sent: one
/// UPDATE per group that marks its messages sent and stores the content each was sent with (decision 0020), run beside
/// the sender (a group's statement does not hold up the next message) and one after another on the batch's context.
/// When a group is full while the one before is still being recorded, the sender waits for it, so at most two groups
/// per connection, and never more than its batch, are accepted and unrecorded: a crash (<c>kill -9</c>) resends at most
/// <c>Connections × min(BatchSize, 2 × GroupSize)</c> messages, the batches in flight (200 with the defaults).
/// A group is as large as the default batch, so a batch's marks are one statement: the database's work per message is
/// mostly per statement, and groups of 10 cost PostgreSQL 60 µs of CPU a message more (decision 0022).
/// </summary>
/// <param name="writing">Runs a write (the dispatcher's turn-taking on SQLite).</param>
internal sealed class SentRecorder(WebinarsDbContext db, IReadOnlyList<OutboxMessage> batch, IClock clock, Func<Func<Task<int>>, Task<int>> writing, ILogger logger)
{
    public const int GroupSize = 50;

    private const string MarkSentUpdate =
        """
        )
        UPDATE "OutboxMessages" SET "SentAt" = {0}, "ClaimedUntil" = NULL, "LastError" = NULL, "AccessToken" = NULL, "Attempts" = "Attempts" + 1,
            "Subject" = "Accepted"."Subject", "TextBody" = "Accepted"."TextBody", "HtmlBody" = "Accepted"."HtmlBody",
            "AttachmentName" = "Accepted"."AttachmentName", "AttachmentContentType" = "Accepted"."AttachmentContentType",
            "AttachmentContent" = "Accepted"."AttachmentContent"
        FROM "Accepted" WHERE "OutboxMessages"."Id" = "Accepted"."Id"
        """;

    private readonly List<int> _group = [];
    private readonly HashSet<int> _recorded = [];
    private Task _previous = Task.CompletedTask;

    /// <summary>Called by the sender as each message is accepted (on its own flow, one at a time).</summary>
    public async ValueTask Accepted(int index)
    {
        _group.Add(index);
        if (_group.Count < GroupSize) return;
        int[] group = [.. _group];
        _group.Clear();
        var previous = _previous;
        if (!previous.IsCompleted) await previous; // records lag: hold the sender back rather than let them pile up
        _previous = RecordAsync(group);
    }

    /// <summary>Waits for the groups under way; returns the indexes recorded (the rest are the batch's own save's).</summary>
    public async Task<IReadOnlySet<int>> CompleteAsync()
    {
        await _previous;
        return _recorded;
    }

    private async Task RecordAsync(int[] group)
    {
        var now = clock.GetCurrentInstant();
        var rows = group.Select(i => batch[i]).ToList();
        try
        {
            // Not cancellable: what the server accepted must be recorded.
            await writing(() => db.Database.ExecuteSqlAsync(MarkSent(db, rows, now), CancellationToken.None));
        }
        catch (Exception e)
        {
            // Not lost: they stay accepted in memory and the batch's save records them after it.
            logger.LogWarning(e, "Recording {Count} sent messages failed; they are recorded with their batch", group.Length);
            return;
        }

        foreach (var i in group)
        {
            var row = batch[i];
            row.SentAt = now;
            row.ClaimedUntil = null;
            row.LastError = null;
            row.AccessToken = null; // the link has left; no copy of it stays at rest
            row.Attempts++;
            db.Entry(row).State = EntityState.Unchanged; // as stored now
            _recorded.Add(i);
        }
    }

    /// <summary>
    /// One statement for a group: each row marked sent with the content it was sent with (a message written at send time
    /// is stored here, with its mark, not in a statement of its own before sending). The same text on both databases: a
    /// <c>VALUES</c> list under a name, joined by <c>UPDATE … FROM</c>.
    /// </summary>
    private static FormattableString MarkSent(WebinarsDbContext db, IReadOnlyList<OutboxMessage> rows, Instant now)
    {
        var sql = new StringBuilder(
            "WITH \"Accepted\" (\"Id\", \"Subject\", \"TextBody\", \"HtmlBody\", \"AttachmentName\", \"AttachmentContentType\", \"AttachmentContent\") AS (VALUES ");
        var values = new List<object?> { OutboxLeases.At(db, now) };
        foreach (var row in rows)
        {
            object?[] columns = [row.Id, row.Subject, row.TextBody, row.HtmlBody, row.AttachmentName, row.AttachmentContentType, row.AttachmentContent];
            sql.Append(values.Count == 1 ? "(" : ", (").AppendJoin(", ", columns.Select((_, c) => $"{{{values.Count + c}}}")).Append(')');
            values.AddRange(columns);
        }

        sql.Append(MarkSentUpdate);
        return FormattableStringFactory.Create(sql.ToString(), [.. values]);
    }
}
