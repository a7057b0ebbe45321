using System.Diagnostics;
using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using NodaTime;
using Npgsql;

namespace Webinars.Bench;

/// <summary>
/// <c>mail</c> mode: 10,000 confirmations queued after a rush, and separately 10,000 reminders due at one instant, sent
/// by the real app (its own process, PostgreSQL, <c>Email:Smtp:Connections</c>) to a local SMTP server that counts
/// connections; next to the ceiling measured in the same run against the same server: a bare MailKit loop on one
/// connection and on the same number of connections.
/// </summary>
public static class MailBench
{
    public static async Task<int> RunAsync(BenchOptions options, int messages, int connections)
    {
        using var smtp = new CountingSmtpServer();
        var bareOne = await BareAsync(smtp, messages, 1);
        var bareMany = await BareAsync(smtp, messages, connections);

        var settings = new Dictionary<string, string>
        {
            ["Email__Smtp__Host"] = "127.0.0.1",
            ["Email__Smtp__Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Email__Smtp__Connections"] = connections.ToString(CultureInfo.InvariantCulture),
            ["Email__DispatchIntervalSeconds"] = "1",
            ["Reminders__Offsets__0"] = "3",
            ["Reminders__WriteAheadMinutes"] = "1",
            ["Site__BaseUrl"] = "https://webinars.example.org",
        };
        await using var app = await AppServer.StartAsync(options, settings);

        // Confirmations: the rows a rush leaves (registrations and their unwritten messages), committed at once.
        var url = await app.CreateWebinarAsync(capacity: messages * 2);
        smtp.Reset();
        var webinar = await WebinarIdAsync(app, url);
        var clock = Stopwatch.StartNew();
        await InsertRegistrationsAsync(app, webinar, messages, "c", withConfirmation: true);
        var inserted = clock.Elapsed;
        await smtp.WaitForAsync(messages, TimeSpan.FromMinutes(10));
        var confirmations = new Run("app: confirmations", messages, clock.Elapsed - inserted, smtp.Connections, smtp.Accepted);

        // Reminders: 3 minutes before a start a few minutes ahead, written 1 minute ahead of their instant.
        var now = SystemClock.Instance.GetCurrentInstant();
        var start = Instant.FromUnixTimeSeconds((now.ToUnixTimeSeconds() / 60 * 60) + (6 * 60));
        var due = start - Duration.FromMinutes(3);
        var reminded = await app.CreateWebinarAsync(capacity: messages * 2, localStart: start.InUtc().LocalDateTime.ToString("uuuu-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), hostZone: "Etc/UTC");
        var reminderWebinar = await WebinarIdAsync(app, reminded);
        await InsertRegistrationsAsync(app, reminderWebinar, messages, "r", withConfirmation: false);
        smtp.Reset();
        Console.Error.WriteLine($"reminders due at {due} (in {(due - SystemClock.Instance.GetCurrentInstant()).TotalSeconds:0} s)");
        await smtp.WaitForAsync(messages, (due - SystemClock.Instance.GetCurrentInstant()).ToTimeSpan() + TimeSpan.FromMinutes(10));
        var lastAfterDue = smtp.LastAcceptedAt - due;
        var reminders = new Run("app: reminders due at one instant", messages, lastAfterDue.ToTimeSpan(), smtp.Connections, smtp.Accepted);

        Print([bareOne, bareMany, confirmations, reminders], connections, lastAfterDue);
        return 0;
    }

    private sealed record Run
    {
        public Run(string name, int messages, TimeSpan elapsed, int connections, int accepted)
        {
            (Name, Messages, Elapsed, Connections, Accepted) = (name, messages, elapsed, connections, accepted);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {messages} in {elapsed.TotalSeconds:0.0} s ({PerSecond:0}/s), {connections} connections, {accepted} accepted"));
        }

        public string Name { get; }

        public int Messages { get; }

        public TimeSpan Elapsed { get; }

        public int Connections { get; }

        public int Accepted { get; }

        public double PerSecond => Messages / Elapsed.TotalSeconds;
    }

    private static void Print(IReadOnlyList<Run> runs, int connections, Duration lastAfterDue)
    {
        var ceiling = runs[1].PerSecond;
        Console.WriteLine($"| run | messages | seconds | messages/s | × bare on {connections} | connections opened | accepted (repeats) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Messages} | {r.Elapsed.TotalSeconds:0.0} | {r.PerSecond:0} | {r.PerSecond / ceiling:0.00} | {r.Connections} | {r.Accepted} ({r.Accepted - r.Messages}) |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"last reminder accepted {lastAfterDue.TotalSeconds:0.0} s after the due instant"));
    }

    /// <summary>The ceiling: MailKit sending prebuilt messages as fast as it can over <paramref name="connections"/> connections.</summary>
    private static async Task<Run> BareAsync(CountingSmtpServer smtp, int messages, int connections)
    {
        var prepared = Enumerable.Range(0, messages).Select(i => Sample($"bare{connections}-{i}")).ToList();
        smtp.Reset();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            using var client = new SmtpClient();
            await client.ConnectAsync("127.0.0.1", smtp.Port, SecureSocketOptions.None);
            for (var i = c; i < messages; i += connections) await client.SendAsync(prepared[i]);
            await client.DisconnectAsync(true);
        }));
        await smtp.WaitForAsync(messages, TimeSpan.FromMinutes(5));
        return new Run($"bare MailKit, {connections} connection(s)", messages, clock.Elapsed, smtp.Connections, smtp.Accepted);
    }

    /// <summary>About the size and shape of a confirmation: text, HTML and an .ics.</summary>
    private static MimeMessage Sample(string id)
    {
        var message = new MimeMessage { Subject = "You're registered: Bench", MessageId = $"{id}@bench" };
        message.From.Add(MailboxAddress.Parse("webinars@example.org"));
        message.To.Add(new MailboxAddress("Reader", $"{id}@example.org"));
        var text = string.Concat(Enumerable.Repeat("Hello, you have a seat. When: Tue 12 Jan 09:00 (New York). ", 12));
        var body = new BodyBuilder { TextBody = text, HtmlBody = $"<!DOCTYPE html><html><body><p>{text}</p></body></html>" };
        body.Attachments.Add("invite.ics", System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("BEGIN:VEVENT\r\nSUMMARY:Bench\r\nEND:VEVENT\r\n", 20))), ContentType.Parse("text/calendar; method=REQUEST"));
        message.Body = body.ToMessageBody();
        return message;
    }

    private static async Task<Guid> WebinarIdAsync(AppServer app, string registrationUrl)
    {
        var slug = registrationUrl.Split('/')[^2];
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Id" FROM "Webinars" WHERE "Slug" = $1""", connection);
        command.Parameters.Add(new() { Value = slug });
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Confirmed registrations in one transaction; with their confirmations queued unwritten, as registering leaves them.</summary>
    private static async Task InsertRegistrationsAsync(AppServer app, Guid webinar, int count, string tag, bool withConfirmation)
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
}

/// <summary>The mail mode's own arguments; the rest (<c>--postgres</c>, <c>--app</c>) as in <see cref="BenchOptions"/>.</summary>
public sealed record MailBenchOptions(BenchOptions Bench, int Messages, int Connections)
{
    public static MailBenchOptions? Parse(string[] args)
    {
        int messages = 10_000, connections = 4;
        var rest = new List<string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--messages": messages = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--connections": connections = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: rest.AddRange([args[i], args[i + 1]]); break;
            }
        }

        return BenchOptions.Parse([.. rest]) is { } bench ? new MailBenchOptions(bench, messages, connections) : null;
    }
}
