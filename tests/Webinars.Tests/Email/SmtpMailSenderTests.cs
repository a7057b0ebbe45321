using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;
using Webinars.Email;

namespace Webinars.Tests.Email;

/// <summary>
/// Sending over kept-open connections, through the app's outbox: a batch per connection, servers that close
/// connections or drop them mid-message, a refused recipient and a server asking us to come back later.
/// </summary>
public sealed class SmtpMailSenderTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Backlog_TwoBatches_GoOutOverOneConnection(DatabaseProvider provider)
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        var settings = MailSettings.For(smtp);
        settings["Email:BatchSize"] = "50";
        await MailApp.RunAsync(provider, settings, async app =>
        {
            await app.QueueAsync("batch", 100);

            Assert.Equal(100, await app.DrainAsync());

            Assert.Equal(100, smtp.Received.Select(m => m.MessageId).Distinct().Count());
            Assert.Equal(1, smtp.Sessions);
        });
    }

    [Fact]
    public async Task ServerClosesAfterEveryFiveMessages_AllDeliveredOnceOverNewConnections()
    {
        using var server = new ScriptedSmtpServer { CloseAfter = 5 };
        await MailApp.RunAsync(DatabaseProvider.Sqlite, MailSettings.For(server.Port), async app =>
        {
            await app.QueueAsync("limit", 23);

            Assert.Equal(23, await app.DrainAsync());

            Assert.Equal(23, server.Accepted.Count);
            Assert.Equal(23, server.Accepted.Distinct().Count());
            Assert.Equal(5, server.Connections);
            await app.WithDbAsync(async db => Assert.Equal(23, await db.OutboxMessages().CountAsync(m => m.SentAt != null && m.Attempts == 1)));
        });
    }

    [Fact]
    public async Task ConnectionDropsInTheMiddleOfData_MessageSentAgainOnANewConnection_NothingLostOrDoubled()
    {
        using var server = new ScriptedSmtpServer { DropMidDataAt = 4 };
        await MailApp.RunAsync(DatabaseProvider.Sqlite, MailSettings.For(server.Port), async app =>
        {
            await app.QueueAsync("middrop", 10);

            Assert.Equal(10, await app.DrainAsync());

            Assert.Equal(10, server.Accepted.Count);
            Assert.Equal(10, server.Accepted.Distinct().Count());
            Assert.Equal(2, server.Connections);
        });
    }

    [Fact]
    public async Task ConnectionDropsBeforeTheServersOk_AllDelivered_OnlyThatOneTwice()
    {
        using var server = new ScriptedSmtpServer { DropBeforeOkAt = 4 };
        await MailApp.RunAsync(DatabaseProvider.Sqlite, MailSettings.For(server.Port), async app =>
        {
            await app.QueueAsync("okdrop", 10);

            Assert.Equal(10, await app.DrainAsync());

            Assert.Equal(10, server.Accepted.Distinct().Count());
            var doubled = server.Accepted.GroupBy(id => id).Where(g => g.Count() > 1).ToList();
            Assert.Single(doubled);
            Assert.Equal(2, doubled[0].Count());
            Assert.Equal(server.Accepted.ElementAt(3), doubled[0].Key); // the one whose "250" never came
        });
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task RecipientRefusedWith550_OnlyThatMessageFails_WithTheServersReasonOnTheStaffPage(DatabaseProvider provider)
    {
        using var server = new ScriptedSmtpServer { Refuse = "bounce3@example.org" };
        await MailApp.RunAsync(provider, MailSettings.For(server.Port), async app =>
        {
            await app.QueueAsync("bounce", 10);

            Assert.Equal(9, await app.DrainAsync());

            Assert.Equal(9, server.Accepted.Distinct().Count());
            Assert.Equal(1, server.Connections);
            await app.WithDbAsync(async db =>
            {
                var refused = await db.OutboxMessages().SingleAsync(m => m.To == "bounce3@example.org");
                Assert.NotNull(refused.GaveUpAt);
                Assert.Null(refused.SentAt);
                Assert.Contains("No such user here", refused.LastError, StringComparison.Ordinal);
                Assert.Equal(9, await db.OutboxMessages().CountAsync(m => m.SentAt != null));
            });
            var page = await (await app.CreateStaffClientAsync()).GetStringAsync("/staff/emails");
            Assert.Contains("No such user here", page, StringComparison.Ordinal);
            Assert.Contains(">failed<", page, StringComparison.Ordinal);
            Assert.Contains("<strong class=\"queue-due\">0</strong> due now", page, StringComparison.Ordinal);
            Assert.Contains("(9), 9 in the last hour. Failed in the last day: 1.", page, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ServerSays421TryLater_MessagesBackOff_ThenGoOutOnce()
    {
        using var server = new ScriptedSmtpServer { TryLater = 1 };
        await MailApp.RunAsync(DatabaseProvider.Sqlite, MailSettings.For(server.Port), async app =>
        {
            await app.QueueAsync("later", 5);

            Assert.Equal(0, await app.DrainAsync());
            await app.WithDbAsync(async db =>
            {
                var rows = await db.OutboxMessages().ToListAsync();
                Assert.All(rows, r =>
                {
                    Assert.Equal(1, r.Attempts);
                    Assert.Null(r.GaveUpAt);
                    Assert.True(r.NextAttemptAt > app.Clock.GetCurrentInstant());
                    Assert.Contains("try later", r.LastError, StringComparison.Ordinal);
                });
            });
            Assert.Equal(0, await app.DrainAsync()); // backing off
            var page = await (await app.CreateStaffClientAsync()).GetStringAsync("/staff/emails");
            Assert.Contains("<strong class=\"queue-due\">0</strong> due now, 5 waiting", page, StringComparison.Ordinal);

            app.Clock.Advance(Duration.FromMinutes(1));
            Assert.Equal(5, await app.DrainAsync());

            Assert.Equal(5, server.Accepted.Count);
            Assert.Equal(5, server.Accepted.Distinct().Count());
        });
    }
}
