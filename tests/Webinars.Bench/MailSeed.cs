using System.Globalization;
using Microsoft.Data.Sqlite;
using NodaTime;
using Npgsql;

namespace Webinars.Bench;

/// <summary>
/// The rows the mail mode starts from, written straight into the app's database (PostgreSQL or SQLite): confirmed
/// registrations, and for confirmations their messages queued unwritten, as registering leaves them.
/// </summary>
public static class MailSeed
{
    /// <summary>The webinar's id as the database holds it (on SQLite: its text, so rows written here match the app's).</summary>
    public static async Task<string> WebinarIdAsync(AppServer app, string registrationUrl)
    {
        var slug = registrationUrl.Split('/')[^2];
        if (app.IsSqlite)
        {
            await using var sqlite = new SqliteConnection(app.ConnectionString);
            await sqlite.OpenAsync();
            await using var query = sqlite.CreateCommand();
            query.CommandText = """SELECT "Id" FROM "Webinars" WHERE "Slug" = $slug""";
            query.Parameters.AddWithValue("$slug", slug);
            return (string)(await query.ExecuteScalarAsync())!;
        }

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Id" FROM "Webinars" WHERE "Slug" = $1""", connection);
        command.Parameters.Add(new() { Value = slug });
        return ((Guid)(await command.ExecuteScalarAsync())!).ToString();
    }

    /// <summary>Confirmed registrations in one transaction; with their confirmations queued unwritten, as registering leaves them.</summary>
    public static Task InsertRegistrationsAsync(AppServer app, string webinar, int count, string tag, bool withConfirmation) =>
        app.IsSqlite ? InsertSqliteAsync(app, webinar, count, tag, withConfirmation) : InsertPostgresAsync(app, Guid.Parse(webinar), count, tag, withConfirmation);

    private static async Task InsertPostgresAsync(AppServer app, Guid webinar, int count, string tag, bool withConfirmation)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var sql = """
            INSERT INTO "Registrations" ("Id", "WebinarId", "Name", "Email", "Organization", "TimeZoneId", "Status", "AccessTokenHash", "CreatedAt", "UpdatedAt")
            SELECT gen_random_uuid(), $1, 'Reader ' || i, $2 || i || '@example.org', '', 'Europe/Paris', 'Confirmed', md5($2 || i) || md5(i::text), now(), now()
            FROM generate_series(1, $3) AS i;
            """;
        if (withConfirmation)
        {
            sql += """
                INSERT INTO "OutboxMessages" ("Id", "Kind", "To", "ToName", "Subject", "RegistrationId", "WebinarId", "AccessToken", "DedupeKey", "CreatedAt", "NotBefore", "NextAttemptAt", "Attempts")
                SELECT gen_random_uuid(), 'confirmation', r."Email", r."Name", '', r."Id", $1, md5(r."Email") || 'abcdefghijk', 'confirmation:' || r."Id", now(), now(), now(), 0
                FROM "Registrations" r WHERE r."WebinarId" = $1;
                """;
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var command = new NpgsqlBatchCommand(statement);
            if (statement.Contains("$1", StringComparison.Ordinal)) command.Parameters.Add(new() { Value = webinar });
            if (statement.Contains("$2", StringComparison.Ordinal)) command.Parameters.Add(new() { Value = tag });
            if (statement.Contains("$3", StringComparison.Ordinal)) command.Parameters.Add(new() { Value = count });
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>The same rows on SQLite, where the app keeps ids as upper-case text and instants as ticks.</summary>
    private static async Task InsertSqliteAsync(AppServer app, string webinar, int count, string tag, bool withConfirmation)
    {
        await using var connection = new SqliteConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using (var wait = connection.CreateCommand())
        {
            wait.CommandText = "PRAGMA busy_timeout = 60000";
            await wait.ExecuteNonQueryAsync();
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var now = SystemClock.Instance.GetCurrentInstant().ToUnixTimeTicks();
        await using var registration = connection.CreateCommand();
        registration.CommandText = """
            INSERT INTO "Registrations" ("Id", "WebinarId", "Name", "Email", "Organization", "TimeZoneId", "Status", "AccessTokenHash", "CreatedAt", "UpdatedAt")
            VALUES ($id, $webinar, $name, $email, '', 'Europe/Paris', 'Confirmed', $hash, $now, $now)
            """;
        await using var message = connection.CreateCommand();
        message.CommandText = """
            INSERT INTO "OutboxMessages" ("Id", "Kind", "To", "ToName", "Subject", "RegistrationId", "WebinarId", "AccessToken", "DedupeKey", "CreatedAt", "NotBefore", "NextAttemptAt", "Attempts")
            VALUES ($message, 'confirmation', $email, $name, '', $id, $webinar, $token, $key, $now, $now, $now, 0)
            """;
        for (var i = 1; i <= count; i++)
        {
            var id = Guid.CreateVersion7().ToString().ToUpperInvariant();
            var email = string.Create(CultureInfo.InvariantCulture, $"{tag}{i}@example.org");
            var values = new Dictionary<string, object>
            {
                ["$id"] = id,
                ["$webinar"] = webinar,
                ["$name"] = $"Reader {i}",
                ["$email"] = email,
                ["$now"] = now,
                ["$hash"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email))),
                ["$message"] = Guid.CreateVersion7().ToString().ToUpperInvariant(),
                ["$token"] = email.Replace("@", "-", StringComparison.Ordinal) + "abcdefghijk",
                ["$key"] = "confirmation:" + id,
            };
            foreach (var command in withConfirmation ? [registration, message] : new[] { registration })
            {
                command.Transaction = transaction;
                command.Parameters.Clear();
                foreach (var (name, value) in values)
                {
                    if (command.CommandText.Contains(name, StringComparison.Ordinal)) command.Parameters.AddWithValue(name, value);
                }

                await command.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
    }
}
