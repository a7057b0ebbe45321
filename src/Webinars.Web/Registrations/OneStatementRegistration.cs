using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Webinars.Data;
using Webinars.Webinars;

namespace Webinars.Registrations;

/// <summary>
/// A new registration on PostgreSQL in one statement, one round trip: the seat guard's conditional UPDATE, the
/// registration with the status it decided, its answers and its first message in the outbox. PostgreSQL runs the
/// statement as one transaction, so the webinar's row is locked only while the statement runs — not across round
/// trips — and a crash keeps all of it or none. Seats cannot be oversold: the UPDATE re-checks
/// <c>SeatsTaken &lt; Capacity</c> on the latest row version after waiting for the lock (docs/decisions/0003-seat-guard.md).
/// An email already registered for the webinar violates the unique index and changes nothing: the caller then takes
/// the general path, which answers repeats.
/// <para>
/// The statement also checks that everything the caller decided on — status, announcement, approval, waitlist, price,
/// registration window, end — is still what the webinar's row says (<c>current</c>); if staff changed any of it since
/// the caller read the webinar (which may come from <see cref="RegistrationTargets"/>' short cache), nothing is saved
/// and the caller decides again on fresh data.
/// </para>
/// </summary>
internal static class OneStatementRegistration
{
    // The column lists name every column these tables require; the PostgreSQL tests fail if a migration adds one.
    private const string NamedSql =
        """
        WITH current AS (
            SELECT FROM "Webinars"
            WHERE "Id" = @webinar AND "Status" = @status AND "AnnouncedAt" IS NOT NULL
              AND "RequiresApproval" = @approval AND "Waitlist" = @waitlist AND "PriceAmount" IS NOT DISTINCT FROM @price
              AND "RegistrationOpensAt" IS NOT DISTINCT FROM @opens AND "RegistrationClosesAt" IS NOT DISTINCT FROM @closes
              AND "EndsAt" = @ends
        ), seat AS (
            UPDATE "Webinars" SET "SeatsTaken" = "SeatsTaken" + 1
            WHERE "Id" = @webinar AND NOT @approval AND ("Capacity" IS NULL OR "SeatsTaken" < "Capacity")
              AND EXISTS (SELECT FROM current)
            RETURNING 1
        ), decided AS (
            SELECT CASE WHEN NOT EXISTS (SELECT FROM current) THEN NULL
                        WHEN @approval THEN 'PendingApproval'
                        WHEN EXISTS (SELECT FROM seat) THEN 'Confirmed'
                        WHEN @waitlist THEN 'Waitlisted' END AS status
        ), registration AS (
            INSERT INTO "Registrations" ("Id", "WebinarId", "Name", "Email", "Organization", "TimeZoneId", "Status", "AccessTokenHash", "CreatedAt", "UpdatedAt")
            SELECT @id, @webinar, @name, @email, @organization, @zone, status, @hash, @now, @now FROM decided WHERE status IS NOT NULL
            RETURNING "Status"
        ), answers AS (
            INSERT INTO "RegistrationAnswers" ("Id", "RegistrationId", "QuestionId", "Kind", "Label", "Value", "Order")
            SELECT a.id, @id, a.question, a.kind, a.label, a.value, a.position
            FROM unnest(@answer_ids, @answer_questions, @answer_kinds, @answer_labels, @answer_values, @answer_orders)
                AS a(id, question, kind, label, value, position)
            WHERE EXISTS (SELECT FROM registration)
        ), message AS (
            INSERT INTO "OutboxMessages" ("Id", "Kind", "To", "ToName", "Subject", "RegistrationId", "WebinarId", "AccessToken", "DedupeKey", "CreatedAt", "NotBefore", "NextAttemptAt", "Attempts")
            SELECT @message, m.kind, @email, @name, '', @id, @webinar, @token, m.key, @now, @now, @now, 0
            FROM registration JOIN (VALUES ('Confirmed', @confirmed_kind, @confirmed_key),
                                           ('Waitlisted', @waitlisted_kind, @waitlisted_key),
                                           ('PendingApproval', @pending_kind, @pending_key)) AS m(status, kind, key)
                ON m.status = registration."Status"
        )
        SELECT (SELECT "Status" FROM registration), EXISTS (SELECT FROM current)
        """;

    /// <summary>
    /// The statement as sent: <see cref="NamedSql"/> with its parameters numbered ($1, $2 …) in order of first use, so
    /// Npgsql sends it as it is instead of parsing a long statement on every registration.
    /// </summary>
    private static readonly (string Sql, string[] Order) Positional = Number(NamedSql);

    private static readonly RegistrationStatus[] Arrivals = [RegistrationStatus.Confirmed, RegistrationStatus.Waitlisted, RegistrationStatus.PendingApproval];

    public static bool Applies(WebinarsDbContext db) => db.Database.IsNpgsql();

    /// <summary>The status the new registration got; null when the webinar is full and has no waitlist (nothing saved).</summary>
    /// <exception cref="PostgresException">A unique violation when the email is already registered (nothing saved).</exception>
    /// <exception cref="WebinarChangedException">The webinar's row no longer matches <paramref name="webinar"/> (nothing saved).</exception>
    public static async Task<RegistrationStatus?> InsertAsync(WebinarsDbContext db, Webinar webinar, NewRegistration input, Instant now, CancellationToken ct)
    {
        // Time-ordered ids: the new index entries land at the end of the primary keys' B-trees.
        var id = Guid.CreateVersion7();
        var (token, hash) = AccessTokens.New();
        var at = now.ToDateTimeUtc();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(Positional.Sql, connection);
            var p = command.Parameters;
            p.AddWithValue("webinar", webinar.Id);
            p.AddWithValue("approval", webinar.RequiresApproval);
            p.AddWithValue("waitlist", webinar.Waitlist);
            p.AddWithValue("status", webinar.Status.ToString());
            p.AddWithValue("price", NpgsqlDbType.Bigint, (object?)webinar.PriceAmount ?? DBNull.Value);
            p.AddWithValue("opens", NpgsqlDbType.TimestampTz, (object?)webinar.RegistrationOpensAt?.ToDateTimeUtc() ?? DBNull.Value);
            p.AddWithValue("closes", NpgsqlDbType.TimestampTz, (object?)webinar.RegistrationClosesAt?.ToDateTimeUtc() ?? DBNull.Value);
            p.AddWithValue("ends", NpgsqlDbType.TimestampTz, webinar.EndsAt.ToDateTimeUtc());
            p.AddWithValue("id", id);
            p.AddWithValue("name", input.Name);
            p.AddWithValue("email", input.Email);
            p.AddWithValue("organization", input.Organization);
            p.AddWithValue("zone", input.TimeZoneId);
            p.AddWithValue("hash", hash);
            p.AddWithValue("now", NpgsqlDbType.TimestampTz, at);
            p.AddWithValue("answer_ids", input.Answers.Select(_ => Guid.NewGuid()).ToArray());
            p.AddWithValue("answer_questions", input.Answers.Select(a => a.QuestionId).ToArray());
            p.AddWithValue("answer_kinds", input.Answers.Select(a => a.Kind.ToString()).ToArray());
            p.AddWithValue("answer_labels", input.Answers.Select(a => a.Label).ToArray());
            p.AddWithValue("answer_values", input.Answers.Select(a => a.Value).ToArray());
            p.AddWithValue("answer_orders", input.Answers.Select(a => a.Order).ToArray());
            p.AddWithValue("message", Guid.CreateVersion7());
            p.AddWithValue("token", token);
            foreach (var arrival in Arrivals)
            {
                var kind = RegistrationEmails.ArrivalKind(arrival);
                var name = arrival switch { RegistrationStatus.Confirmed => "confirmed", RegistrationStatus.Waitlisted => "waitlisted", _ => "pending" };
                p.AddWithValue($"{name}_kind", kind);
                p.AddWithValue($"{name}_key", RegistrationEmails.LinkKey(kind, id, token));
            }

            InOrder(p);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            if (!reader.GetBoolean(1)) throw new WebinarChangedException(webinar.Slug);
            return reader.IsDBNull(0) ? null : Enum.Parse<RegistrationStatus>(reader.GetString(0));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static (string Sql, string[] Order) Number(string sql)
    {
        var order = new List<string>();
        var numbered = Regex.Replace(sql, @"@(\w+)", m =>
        {
            var index = order.IndexOf(m.Groups[1].Value);
            if (index < 0)
            {
                order.Add(m.Groups[1].Value);
                index = order.Count - 1;
            }

            return "$" + (index + 1).ToString(CultureInfo.InvariantCulture);
        });
        return (numbered, [.. order]);
    }

    /// <summary>Turns the named parameters into the positional ones <see cref="Positional"/> expects.</summary>
    private static void InOrder(NpgsqlParameterCollection parameters)
    {
        var byName = parameters.ToDictionary(p => p.ParameterName);
        if (byName.Count != Positional.Order.Length) throw new InvalidOperationException("The registration statement and its parameters disagree.");
        parameters.Clear();
        foreach (var name in Positional.Order)
        {
            var parameter = byName[name];
            parameter.ParameterName = string.Empty;
            parameters.Add(parameter);
        }
    }
}

/// <summary>Staff changed the webinar between reading it and registering for it; nothing was saved. Decide again.</summary>
public sealed class WebinarChangedException(string slug)
    : Exception($"Webinar {slug} changed while a registration for it was being decided.");
