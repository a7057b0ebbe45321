using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Webinars.Caching;
using Webinars.Data;
using Webinars.Email;
using Webinars.Infrastructure;
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
/// the caller read the webinar (which may come from <see cref="RegistrationTargetCache"/>' short cache), nothing is saved
/// and the caller decides again on fresh data.
/// </para>
/// <para><see cref="InsertManyAsync"/> does the same for a group that queued during a rush (<see cref="RegistrationBatches"/>).</para>
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

    /// <summary>The webinar's row still says what the caller decided on.</summary>
    private const string Unchanged =
        """
        "Id" = @webinar AND "Status" = @status AND "AnnouncedAt" IS NOT NULL
              AND "RequiresApproval" = @approval AND "Waitlist" = @waitlist AND "PriceAmount" IS NOT DISTINCT FROM @price
              AND "RegistrationOpensAt" IS NOT DISTINCT FROM @opens AND "RegistrationClosesAt" IS NOT DISTINCT FROM @closes
              AND "EndsAt" = @ends
        """;

    private const string NamedSql =
        """
        WITH current AS (
            SELECT FROM "Webinars"
            WHERE {unchanged}
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
    private static readonly Statement WithAnswers = Statement.Number(NamedSql.Replace("{answers}", AnswersPart.TrimEnd()).Replace("{unchanged}", Unchanged));

    private static readonly Statement WithoutAnswers = Statement.Number(NamedSql.Replace("{answers}", "").Replace("{unchanged}", Unchanged));

    /// <summary>
    /// Several new registrations (without answers) for one webinar in one statement: the webinar's row is locked first
    /// (<c>FOR NO KEY UPDATE</c> reads its latest version, re-checked against what the callers decided on), the seats
    /// left are granted in arrival order (<c>n</c>), the seat counter moves once, then every registration and its first
    /// message are inserted. Any email already registered violates the unique index and the whole statement changes
    /// nothing; each registration then takes the one-by-one path.
    /// </summary>
    private static readonly Statement Many = Statement.Number(
        """
        WITH locked AS (
            SELECT "SeatsTaken" AS taken, "Capacity" AS capacity FROM "Webinars"
            WHERE {unchanged}
            FOR NO KEY UPDATE
        ), granted AS (
            SELECT CASE WHEN @approval THEN 0
                        WHEN capacity IS NULL THEN cardinality(@ids)
                        ELSE LEAST(cardinality(@ids), GREATEST(capacity - taken, 0)) END AS seats
            FROM locked
        ), seat AS (
            UPDATE "Webinars" SET "SeatsTaken" = "SeatsTaken" + (SELECT seats FROM granted)
            WHERE "Id" = @webinar AND (SELECT seats FROM granted) > 0
            RETURNING 1
        ), decided AS (
            -- one microsecond apart in arrival order, so the waitlist keeps that order
            SELECT i.*, @now + (i.n - 1) * interval '1 microsecond' AS at,
                   CASE WHEN @approval THEN 'PendingApproval'
                        WHEN i.n <= (SELECT seats FROM granted) THEN 'Confirmed'
                        WHEN @waitlist THEN 'Waitlisted' END AS status
            FROM unnest(@ids, @names, @emails, @organizations, @zones, @hashes, @tokens, @messages,
                        @confirmed_keys, @waitlisted_keys, @pending_keys)
                WITH ORDINALITY AS i(id, name, email, organization, zone, hash, token, message, confirmed_key, waitlisted_key, pending_key, n)
            WHERE EXISTS (SELECT FROM locked)
        ), registration AS (
            INSERT INTO "Registrations" ("Id", "WebinarId", "Name", "Email", "Organization", "TimeZoneId", "Status", "AccessTokenHash", "CreatedAt", "UpdatedAt")
            SELECT id, @webinar, name, email, organization, zone, status, hash, at, at FROM decided WHERE status IS NOT NULL
            RETURNING "Id", "Status"
        ), message AS (
            INSERT INTO "OutboxMessages" ("Id", "Kind", "To", "ToName", "Subject", "RegistrationId", "WebinarId", "AccessToken", "DedupeKey", "CreatedAt", "NotBefore", "NextAttemptAt", "Attempts")
            SELECT d.message,
                   CASE r."Status" WHEN 'Confirmed' THEN @confirmed_kind WHEN 'Waitlisted' THEN @waitlisted_kind ELSE @pending_kind END,
                   d.email, d.name, '', d.id, @webinar, d.token,
                   CASE r."Status" WHEN 'Confirmed' THEN d.confirmed_key WHEN 'Waitlisted' THEN d.waitlisted_key ELSE d.pending_key END,
                   d.at, d.at, d.at, 0
            FROM registration r JOIN decided d ON d.id = r."Id"
        )
        SELECT status FROM decided ORDER BY n
        """.Replace("{unchanged}", Unchanged));

    private static readonly (RegistrationStatus Status, string Name)[] Arrivals =
        [(RegistrationStatus.Confirmed, "confirmed"), (RegistrationStatus.Waitlisted, "waitlisted"), (RegistrationStatus.PendingApproval, "pending")];

    public static bool Applies(WebinarsDbContext db) => db.IsPostgres;

    /// <summary>What the statements check the webinar's row against (<see cref="Unchanged"/>); equal for callers that may share one.</summary>
    public static object DecidedOn(Webinar w) =>
        (w.Id, w.Status, w.AnnouncedAt.HasValue, w.RequiresApproval, w.Waitlist, w.PriceAmount, w.RegistrationOpensAt, w.RegistrationClosesAt, w.EndsAt);

    /// <summary>The status the new registration got; null when the webinar is full and has no waitlist (nothing saved).</summary>
    /// <exception cref="PostgresException">A unique violation when the email is already registered (nothing saved).</exception>
    /// <exception cref="WebinarChangedException">The webinar's row no longer matches <paramref name="webinar"/> (nothing saved).</exception>
    public static async Task<RegistrationStatus?> InsertAsync(WebinarsDbContext db, Webinar webinar, NewRegistration input, Instant now, CancellationToken ct)
    {
        // Time-ordered ids: the new index entries land at the end of the primary keys' B-trees.
        var id = Ids.NewV7();
        var (token, hash) = AccessTokens.New();
        var at = now.ToDateTimeUtc();
        var statement = input.Answers.Count > 0 ? WithAnswers : WithoutAnswers;
        return await RunAsync(db, webinar.Id, statement, async command =>
        {
            var p = new Parameters(statement, command.Parameters);
            p.AddUnchanged(webinar);
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

            p.Add("message", Ids.NewV7());
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
            return reader.IsDBNull(0) ? (RegistrationStatus?)null : Enum.Parse<RegistrationStatus>(reader.GetString(0));
        }, ct);
    }

    /// <summary>
    /// Registers several people (none with answers) for one webinar at once; their statuses in the order given (null:
    /// full and no waitlist, nothing saved for that one).
    /// </summary>
    /// <exception cref="PostgresException">A unique violation when any email is already registered (nothing saved).</exception>
    /// <exception cref="WebinarChangedException">The webinar's row no longer matches <paramref name="webinar"/> (nothing saved).</exception>
    public static async Task<RegistrationStatus?[]> InsertManyAsync(
        WebinarsDbContext db, Webinar webinar, IReadOnlyList<NewRegistration> inputs, Instant now, CancellationToken ct)
    {
        if (inputs.Any(i => i.Answers.Count > 0)) throw new ArgumentException("Registrations with answers are inserted one by one.", nameof(inputs));
        var ids = new Guid[inputs.Count];
        var tokens = new string[inputs.Count];
        var hashes = new string[inputs.Count];
        var keys = Arrivals.ToDictionary(a => a.Name, _ => new string[inputs.Count]);
        for (var i = 0; i < inputs.Count; i++)
        {
            ids[i] = Ids.NewV7();
            (tokens[i], hashes[i]) = AccessTokens.New();
            foreach (var (arrival, name) in Arrivals) keys[name][i] = RegistrationEmails.LinkKeyByHash(RegistrationEmails.ArrivalKind(arrival), ids[i], hashes[i]);
        }

        var statuses = await RunAsync(db, webinar.Id, Many, async command =>
        {
            var p = new Parameters(Many, command.Parameters);
            p.AddUnchanged(webinar);
            p.Add("ids", ids);
            p.Add("names", inputs.Select(i => i.Name).ToArray());
            p.Add("emails", inputs.Select(i => i.Email).ToArray());
            p.Add("organizations", inputs.Select(i => i.Organization).ToArray());
            p.Add("zones", inputs.Select(i => i.TimeZoneId).ToArray());
            p.Add("hashes", hashes);
            p.Add("tokens", tokens);
            p.Add("messages", inputs.Select(_ => Ids.NewV7()).ToArray());
            p.Add("now", NpgsqlDbType.TimestampTz, now.ToDateTimeUtc());
            foreach (var (arrival, name) in Arrivals)
            {
                p.Add($"{name}_kind", RegistrationEmails.ArrivalKind(arrival));
                p.Add($"{name}_keys", keys[name]);
            }

            p.Complete();
            var decided = new List<RegistrationStatus?>(inputs.Count);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) decided.Add(reader.IsDBNull(0) ? null : Enum.Parse<RegistrationStatus>(reader.GetString(0)));
            return decided;
        }, ct);
        // No row decided: the webinar's row no longer says what the callers decided on.
        if (statuses.Count != inputs.Count) throw new WebinarChangedException(webinar.Slug);
        return [.. statuses];
    }

    /// <summary>
    /// Runs a statement on the context's connection, opened and closed here past EF Core's connection bookkeeping (a
    /// few percent of a registration's CPU); EF Core sees a closed connection before and after.
    /// </summary>
    private static async Task<T> RunAsync<T>(WebinarsDbContext db, Guid webinarId, Statement statement, Func<NpgsqlCommand, Task<T>> run, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State == System.Data.ConnectionState.Closed;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(statement.Sql, connection);
            var result = await run(command);
            OutboxSignal.PokeFor(db); // committed with its first message: the dispatcher may send it now
            await ReadCacheEviction.EvictFor(db, ReadTags.ForWebinar(webinarId)); // seats left changed
            return result;
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

        public void AddUnchanged(Webinar webinar)
        {
            Add("webinar", webinar.Id);
            Add("approval", webinar.RequiresApproval);
            Add("waitlist", webinar.Waitlist);
            Add("status", webinar.Status.ToString());
            Add("price", NpgsqlDbType.Bigint, (object?)webinar.PriceAmount ?? DBNull.Value);
            Add("opens", NpgsqlDbType.TimestampTz, (object?)webinar.RegistrationOpensAt?.ToDateTimeUtc() ?? DBNull.Value);
            Add("closes", NpgsqlDbType.TimestampTz, (object?)webinar.RegistrationClosesAt?.ToDateTimeUtc() ?? DBNull.Value);
            Add("ends", NpgsqlDbType.TimestampTz, webinar.EndsAt.ToDateTimeUtc());
        }

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
