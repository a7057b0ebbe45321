using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;

namespace Webinars.Email;

/// <summary>
/// Claiming due rows so that, of several instances polling the same database, exactly one takes each row. PostgreSQL:
/// <c>FOR UPDATE SKIP LOCKED</c> in one UPDATE statement (its own short transaction); SQLite: one atomic
/// <c>UPDATE … RETURNING</c> (SQLite runs one writer at a time). A claim is a lease: if its holder dies, the row becomes
/// claimable again when <c>ClaimedUntil</c> passes.
/// </summary>
internal static class Claims
{
    public static Task<List<Guid>> OutboxAsync(WebinarsDbContext db, string claimer, Instant now, Instant until, int limit, CancellationToken ct) =>
        db.IsPostgres
            ? db.Database.SqlQuery<Guid>($"""
                UPDATE "OutboxMessages" SET "ClaimedUntil" = {until}, "ClaimedBy" = {claimer}
                WHERE "Id" IN (
                    SELECT "Id" FROM "OutboxMessages"
                    WHERE "SentAt" IS NULL AND "GaveUpAt" IS NULL AND "NextAttemptAt" <= {now}
                      AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {now})
                    ORDER BY "NextAttemptAt" LIMIT {limit}
                    FOR UPDATE SKIP LOCKED)
                RETURNING "Id" AS "Value"
                """).ToListAsync(ct)
            : db.Database.SqlQuery<Guid>($"""
                UPDATE "OutboxMessages" SET "ClaimedUntil" = {until.ToUnixTimeTicks()}, "ClaimedBy" = {claimer}
                WHERE "Id" IN (
                    SELECT "Id" FROM "OutboxMessages"
                    WHERE "SentAt" IS NULL AND "GaveUpAt" IS NULL AND "NextAttemptAt" <= {now.ToUnixTimeTicks()}
                      AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {now.ToUnixTimeTicks()})
                    ORDER BY "NextAttemptAt" LIMIT {limit})
                  AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {now.ToUnixTimeTicks()})
                RETURNING "Id" AS "Value"
                """).ToListAsync(ct);

    public static Task<List<Guid>> RemindersAsync(WebinarsDbContext db, string claimer, Instant now, Instant until, int limit, CancellationToken ct) =>
        db.IsPostgres
            ? db.Database.SqlQuery<Guid>($"""
                UPDATE "ReminderSchedules" SET "ClaimedUntil" = {until}, "ClaimedBy" = {claimer}
                WHERE "Id" IN (
                    SELECT "Id" FROM "ReminderSchedules"
                    WHERE "ExpandedAt" IS NULL AND "DueAt" <= {now}
                      AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {now})
                    ORDER BY "DueAt" LIMIT {limit}
                    FOR UPDATE SKIP LOCKED)
                RETURNING "Id" AS "Value"
                """).ToListAsync(ct)
            : db.Database.SqlQuery<Guid>($"""
                UPDATE "ReminderSchedules" SET "ClaimedUntil" = {until.ToUnixTimeTicks()}, "ClaimedBy" = {claimer}
                WHERE "Id" IN (
                    SELECT "Id" FROM "ReminderSchedules"
                    WHERE "ExpandedAt" IS NULL AND "DueAt" <= {now.ToUnixTimeTicks()}
                      AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {now.ToUnixTimeTicks()})
                    ORDER BY "DueAt" LIMIT {limit})
                  AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {now.ToUnixTimeTicks()})
                RETURNING "Id" AS "Value"
                """).ToListAsync(ct);

    /// <summary>Creates a reminder schedule unless one exists for (webinar, offset); safe when instances race.</summary>
    public static Task<int> InsertScheduleAsync(WebinarsDbContext db, Guid webinarId, int offsetMinutes, int sequence, Instant dueAt, CancellationToken ct) =>
        db.IsPostgres
            ? db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ReminderSchedules" ("Id", "WebinarId", "OffsetMinutes", "Sequence", "DueAt")
                VALUES ({Guid.NewGuid()}, {webinarId}, {offsetMinutes}, {sequence}, {dueAt})
                ON CONFLICT ("WebinarId", "OffsetMinutes") DO NOTHING
                """, ct)
            : db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ReminderSchedules" ("Id", "WebinarId", "OffsetMinutes", "Sequence", "DueAt")
                VALUES ({Guid.NewGuid()}, {webinarId}, {offsetMinutes}, {sequence}, {dueAt.ToUnixTimeTicks()})
                ON CONFLICT ("WebinarId", "OffsetMinutes") DO NOTHING
                """, ct);
}
