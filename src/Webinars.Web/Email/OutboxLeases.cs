using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;

namespace Webinars.Email;

/// <summary>
/// Leases on due rows, so that of several instances polling the same database exactly one takes each row. One SQL text
/// per statement for both providers: an <c>UPDATE … WHERE "Id" IN (SELECT … LIMIT n {lock}) RETURNING</c>, where
/// <c>{lock}</c> is <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL (concurrent instances skip each other's rows) and
/// nothing on SQLite (one writer at a time; the outer condition re-checks the lease). A lease runs out at
/// <c>ClaimedUntil</c>: if its holder dies, the row becomes claimable again then.
/// </summary>
internal static class OutboxLeases
{
    private const string Outbox =
        """
        UPDATE "OutboxMessages" SET "ClaimedUntil" = {0}, "ClaimedBy" = {1}
        WHERE "Id" IN (
            SELECT "Id" FROM "OutboxMessages"
            WHERE "SentAt" IS NULL AND "GaveUpAt" IS NULL AND "NextAttemptAt" <= {2}
              AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {2})
            ORDER BY "NextAttemptAt" LIMIT {3} {lock})
          AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {2})
        RETURNING "Id" AS "Value"
        """;

    private const string Reminders =
        """
        UPDATE "ReminderSchedules" SET "ClaimedUntil" = {0}, "ClaimedBy" = {1}
        WHERE "Id" IN (
            SELECT "Id" FROM "ReminderSchedules"
            WHERE "ExpandedAt" IS NULL AND "DueAt" <= {2}
              AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {4})
            ORDER BY "DueAt" LIMIT {3} {lock})
          AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {4})
        RETURNING "Id" AS "Value"
        """;

    private const string Schedule =
        """
        INSERT INTO "ReminderSchedules" ("Id", "WebinarId", "OffsetMinutes", "Sequence", "DueAt")
        VALUES ({0}, {1}, {2}, {3}, {4})
        ON CONFLICT ("WebinarId", "OffsetMinutes") DO NOTHING
        """;

    /// <summary>Claims up to <paramref name="limit"/> messages due at <paramref name="now"/>, oldest due first.</summary>
    public static Task<List<Guid>> OutboxAsync(WebinarsDbContext db, string claimer, Instant now, Instant until, int limit, CancellationToken ct) =>
        db.Database.SqlQuery<Guid>(Sql(db, Outbox, At(db, until), claimer, At(db, now), limit)).ToListAsync(ct);

    /// <summary>Claims reminder schedules due by <paramref name="dueBy"/> (which may be ahead of <paramref name="now"/>: written ahead).</summary>
    public static Task<List<Guid>> RemindersAsync(WebinarsDbContext db, string claimer, Instant now, Instant dueBy, Instant until, int limit, CancellationToken ct) =>
        db.Database.SqlQuery<Guid>(Sql(db, Reminders, At(db, until), claimer, At(db, dueBy), limit, At(db, now))).ToListAsync(ct);

    /// <summary>Creates a reminder schedule unless one exists for (webinar, offset); safe when instances race.</summary>
    public static Task<int> InsertScheduleAsync(WebinarsDbContext db, Guid webinarId, int offsetMinutes, int sequence, Instant dueAt, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync(Sql(db, Schedule, Guid.NewGuid(), webinarId, offsetMinutes, sequence, At(db, dueAt)), ct);

    private static FormattableString Sql(WebinarsDbContext db, string text, params object[] values) =>
        FormattableStringFactory.Create(text.Replace("{lock}", db.IsPostgres ? "FOR UPDATE SKIP LOCKED" : "", StringComparison.Ordinal), values);

    /// <summary>An instant as each store keeps it: timestamptz on PostgreSQL, ticks since the epoch on SQLite.</summary>
    public static object At(WebinarsDbContext db, Instant instant) => db.IsPostgres ? instant : instant.ToUnixTimeTicks();
}
