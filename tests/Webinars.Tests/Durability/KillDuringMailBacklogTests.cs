using System.Globalization;
using Npgsql;
using Webinars.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webinars.Tests.Durability;

/// <summary>
/// The app as a real process on PostgreSQL, killed with SIGKILL while it works through a backlog of 5,000 messages, and
/// started again: every message is delivered, and only those in flight at the kill (claimed, not recorded) twice.
/// </summary>
public sealed class KillDuringMailBacklogTests(ITestOutputHelper output) : MailProcessTest("mailkill", maxPoolSize: 20, leaseSeconds: 30)
{
    private const int Backlog = 5000;
    private const int KillAfter = 500;

    [Fact]
    public async Task Backlog5000_AppKilledWhileSendingAndRestarted_EveryMessageDelivered_OnlyInFlightOnesTwice()
    {
        // Capped so that the kill lands in the middle on any machine: 5,000 take at least five seconds.
        var first = await StartSendingAtMostAsync(maxPerSecond: 1000);
        await QueueBacklogAsync();

        await Smtp.WaitUntilAsync(s => s.Received.Count >= KillAfter, seconds: 120);
        first.Kill();
        var deliveredBefore = Smtp.Received.Select(m => m.MessageId).ToHashSet();
        var inFlight = (await IdsAsync("""SELECT "Id" FROM "OutboxMessages" WHERE "SentAt" IS NULL AND "ClaimedBy" IS NOT NULL""")).ToHashSet();
        Assert.True(deliveredBefore.Count < Backlog, "the kill came after the whole backlog, so it tested no crash");
        output.WriteLine($"{deliveredBefore.Count} delivered before the kill; {inFlight.Count} claimed and unrecorded");

        await StartSendingAtMostAsync(maxPerSecond: 0);
        await Smtp.WaitUntilAsync(s => s.Received.Select(m => m.MessageId).Distinct().Count() >= Backlog, seconds: 180);

        var unsent = await IdsAsync("""SELECT "Id" FROM "OutboxMessages" WHERE "SentAt" IS NULL""");
        var until = Environment.TickCount64 + 60_000;
        while (unsent.Count > 0 && Environment.TickCount64 < until)
        {
            await Task.Delay(100);
            unsent = await IdsAsync("""SELECT "Id" FROM "OutboxMessages" WHERE "SentAt" IS NULL""");
        }

        Assert.Empty(unsent);
        var twice = Smtp.Received.GroupBy(m => m.MessageId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        output.WriteLine($"{twice.Count} delivered twice");
        Assert.All(twice, id => Assert.Contains(Guid.ParseExact(id!.Split('@')[0], "N"), inFlight));
        Assert.All(Smtp.Received.GroupBy(m => m.MessageId), g => Assert.True(g.Count() <= 2, $"{g.Key} delivered {g.Count()} times"));
        Assert.Equal(Backlog, Smtp.Received.Select(m => m.MessageId).Distinct().Count());
    }

    private Task<AppProcess> StartSendingAtMostAsync(int maxPerSecond) =>
        StartAsync(new() { ["Email__Smtp__MaxPerSecond"] = maxPerSecond.ToString(CultureInfo.InvariantCulture) });

    /// <summary>5,000 written messages in one statement, as a rush or a reminder expansion leaves them.</summary>
    private async Task QueueBacklogAsync()
    {
        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO "OutboxMessages" ("Id", "Kind", "To", "ToName", "Subject", "TextBody", "HtmlBody", "DedupeKey", "CreatedAt", "NotBefore", "NextAttemptAt", "Attempts")
            SELECT gen_random_uuid(), 'test', 'reader' || i || '@example.org', 'Reader ' || i, 'Backlog ' || i, 'text', '<p>html</p>', 'backlog:' || i, now(), now(), now(), 0
            FROM generate_series(1, @count) AS i
            """, connection);
        command.Parameters.AddWithValue("count", Backlog);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<Guid>> IdsAsync(string sql)
    {
        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }
}
