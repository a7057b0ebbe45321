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
    private const string AnswersPart =
        """
        , answers AS (
            INSERT INTO "RegistrationAnswers" ("Id", "RegistrationId", "QuestionId", "Kind", "Label", "Value", "Order")
            SELECT a.id, @id, a.question, a.kind, a.label, a.value, a.position
            FROM unnest(@answer_ids, @answer_questions, @answer_kinds, @answer_labels, @answer_values, @answer_orders)
                AS a(id, question, kind, label, value, position)
            WHERE EXISTS (SELECT FROM registration)
        )
        """;

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
        ){answers}, message AS (
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
    /// The statements as sent: <see cref="NamedSql"/> with its parameters numbered ($1, $2 …) in order of first use, so
    /// Npgsql sends it as it is instead of parsing a long statement on every registration. Without answers to store the
    /// statement leaves out their table, which PostgreSQL would otherwise open and lock on every registration.
    /// </summary>
    private static readonly Statement WithAnswers = Statement.Number(NamedSql.Replace("{answers}", AnswersPart.TrimEnd()));

    private static readonly Statement WithoutAnswers = Statement.Number(NamedSql.Replace("{answers}", ""));

    private static readonly (RegistrationStatus Status, string Name)[] Arrivals =
        [(RegistrationStatus.Confirmed, "confirmed"), (RegistrationStatus.Waitlisted, "waitlisted"), (RegistrationStatus.PendingApproval, "pending")];

    public static bool Applies(WebinarsDbContext db) => db.IsPostgres;

    /// <summary>The status the new registration got; null when the webinar is full and has no waitlist (nothing saved).</summary>
    /// <exception cref="PostgresException">A unique violation when the email is already registered (nothing saved).</exception>
    /// <exception cref="WebinarChangedException">The webinar's row no longer matches <paramref name="webinar"/> (nothing saved).</exception>
    public static async Task<RegistrationStatus?> InsertAsync(WebinarsDbContext db, Webinar webinar, NewRegistration input, Instant now, CancellationToken ct)
    {
        // Time-ordered ids: the new index entries land at the end of the primary keys' B-trees.
        var id = Guid.CreateVersion7();
        var (token, hash) = AccessTokens.New();
        var at = now.ToDateTimeUtc();
        // Opened and closed here, past EF Core's connection bookkeeping (a few percent of a registration's CPU); EF Core
        // sees a closed connection before and after.
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State == System.Data.ConnectionState.Closed;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            var statement = input.Answers.Count > 0 ? WithAnswers : WithoutAnswers;
            await using var command = new NpgsqlCommand(statement.Sql, connection);
            var p = new Parameters(statement, command.Parameters);
            p.Add("webinar", webinar.Id);
            p.Add("approval", webinar.RequiresApproval);
            p.Add("waitlist", webinar.Waitlist);
            p.Add("status", webinar.Status.ToString());
            p.Add("price", NpgsqlDbType.Bigint, (object?)webinar.PriceAmount ?? DBNull.Value);
            p.Add("opens", NpgsqlDbType.TimestampTz, (object?)webinar.RegistrationOpensAt?.ToDateTimeUtc() ?? DBNull.Value);
            p.Add("closes", NpgsqlDbType.TimestampTz, (object?)webinar.RegistrationClosesAt?.ToDateTimeUtc() ?? DBNull.Value);
            p.Add("ends", NpgsqlDbType.TimestampTz, webinar.EndsAt.ToDateTimeUtc());
            p.Add("id", id);
            p.Add("name", input.Name);
            p.Add("email", input.Email);
            p.Add("organization", input.Organization);
            p.Add("zone", input.TimeZoneId);
            p.Add("hash", hash);
            p.Add("now", NpgsqlDbType.TimestampTz, at);
            if (ReferenceEquals(statement, WithAnswers))
            {
                p.Add("answer_ids", input.Answers.Select(_ => Guid.NewGuid()).ToArray());
                p.Add("answer_questions", input.Answers.Select(a => a.QuestionId).ToArray());
                p.Add("answer_kinds", input.Answers.Select(a => a.Kind.ToString()).ToArray());
                p.Add("answer_labels", input.Answers.Select(a => a.Label).ToArray());
                p.Add("answer_values", input.Answers.Select(a => a.Value).ToArray());
                p.Add("answer_orders", input.Answers.Select(a => a.Order).ToArray());
            }

            p.Add("message", Guid.CreateVersion7());
            p.Add("token", token);
            foreach (var (arrival, name) in Arrivals)
            {
                var kind = RegistrationEmails.ArrivalKind(arrival);
                p.Add($"{name}_kind", kind);
                p.Add($"{name}_key", RegistrationEmails.LinkKeyByHash(kind, id, hash));
            }

            p.Complete();
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            if (!reader.GetBoolean(1)) throw new WebinarChangedException(webinar.Slug);
            return reader.IsDBNull(0) ? null : Enum.Parse<RegistrationStatus>(reader.GetString(0));
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    /// <summary>A statement with positional parameters and where each of its named parameters went.</summary>
    private sealed record Statement(string Sql, Dictionary<string, int> Positions)
    {
        public static Statement Number(string namedSql)
        {
            var positions = new Dictionary<string, int>();
            var numbered = Regex.Replace(namedSql, @"@(\w+)", m =>
            {
                if (!positions.TryGetValue(m.Groups[1].Value, out var index)) positions.Add(m.Groups[1].Value, index = positions.Count);
                return "$" + (index + 1).ToString(CultureInfo.InvariantCulture);
            });
            return new Statement(numbered, positions);
        }
    }

    /// <summary>Fills a statement's positional parameters by the names in <see cref="NamedSql"/>.</summary>
    private readonly struct Parameters(Statement statement, NpgsqlParameterCollection collection)
    {
        private readonly NpgsqlParameter[] _slots = new NpgsqlParameter[statement.Positions.Count];

        public void Add(string name, object value) => _slots[statement.Positions[name]] = new NpgsqlParameter { Value = value };

        public void Add(string name, NpgsqlDbType type, object value) =>
            _slots[statement.Positions[name]] = new NpgsqlParameter { NpgsqlDbType = type, Value = value };

        public void Complete()
        {
            if (Array.IndexOf(_slots, null) is var missing and >= 0)
            {
                throw new InvalidOperationException($"The registration statement's parameter ${missing + 1} was not given.");
            }

            collection.AddRange(_slots);
        }
    }
}

/// <summary>Staff changed the webinar between reading it and registering for it; nothing was saved. Decide again.</summary>
public sealed class WebinarChangedException(string slug)
    : Exception($"Webinar {slug} changed while a registration for it was being decided.");
