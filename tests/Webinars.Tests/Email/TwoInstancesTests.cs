using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;
using Webinars.Email;

namespace Webinars.Tests.Email;

/// <summary>Two app instances sharing one PostgreSQL database, each running its dispatcher: nothing goes out twice.</summary>
public sealed class TwoInstancesTests
{
    [Fact]
    public async Task TwoDispatchers_Race200Messages_EachSentExactlyOnce()
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        var settings = MailSettings.For(smtp);
        settings["Email:BatchSize"] = "5";
        await MailApp.RunAsync(DatabaseProvider.Postgres, settings, async first =>
        {
            var second = MailApp.SharingWith(first, settings);
            try
            {
                _ = first.Services;
                _ = second.Services;
                await first.WithDbAsync(async db =>
                {
                    for (var i = 0; i < 200; i++)
                    {
                        var draft = new MailDraft("test", $"race{i}@example.org", $"Racer {i}", $"Race {i}", "text", "<p>html</p>");
                        Outbox.Queue(db, draft, $"race:{i}", first.Clock.GetCurrentInstant());
                    }

                    await db.SaveChangesAsync();
                });

                var sent = await Task.WhenAll(Task.Run(first.DrainAsync), Task.Run(second.DrainAsync));
                await Task.WhenAll(Task.Run(first.DrainAsync), Task.Run(second.DrainAsync));

                Assert.Equal(200, sent.Sum());
                Assert.Equal(200, smtp.Received.Count);
                Assert.Equal(200, smtp.Received.Select(m => m.MessageId).Distinct().Count());
                await first.WithDbAsync(async db =>
                {
                    Assert.Equal(200, await db.OutboxMessages().CountAsync(m => m.SentAt != null && m.Attempts == 1));
                });
            }
            finally
            {
                await second.DisposeAsync();
            }
        });
    }

    [Fact]
    public async Task TwoInstancesInTheBackground_Backlog5000_EachAcceptedOnceAndBothSend()
    {
        const int backlog = 5000;
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        var settings = MailSettings.For(smtp, background: true);
        // A ceiling on each instance's rate, so that one instance alone cannot finish before the other's first poll on
        // however fast a machine (the cap bounds speed from above, it measures nothing).
        settings["Email:Smtp:MaxPerSecond"] = "1000";
        await MailApp.RunAsync(DatabaseProvider.Postgres, settings, async first =>
        {
            var second = MailApp.SharingWith(first, settings);
            try
            {
                _ = first.Services;
                _ = second.Services;

                await first.QueueAsync("shared", backlog);

                await smtp.WaitUntilAsync(s => s.Received.Count >= backlog, seconds: 180);
                await first.WithDbAsync(async db =>
                {
                    var until = Environment.TickCount64 + 60_000;
                    while (await db.OutboxMessages().CountAsync(m => m.SentAt == null) > 0 && Environment.TickCount64 < until) await Task.Delay(100);
                    Assert.Equal(backlog, await db.OutboxMessages().CountAsync(m => m.SentAt != null && m.Attempts == 1));
                    var senders = await db.OutboxMessages().GroupBy(m => m.ClaimedBy).Select(g => g.Key).ToListAsync();
                    Assert.Equal(new[] { first.Dispatcher().InstanceId, second.Dispatcher().InstanceId }.Order(), senders.Order());
                });
                Assert.Equal(backlog, smtp.Received.Count);
                Assert.Equal(backlog, smtp.Received.Select(m => m.MessageId).Distinct().Count());
            }
            finally
            {
                await second.DisposeAsync();
            }
        });
    }

    [Fact]
    public async Task TwoInstances_RemindersDue_ExactlyOncePerAttendee()
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        var settings = MailSettings.For(smtp);
        await MailApp.RunAsync(DatabaseProvider.Postgres, settings, async first =>
        {
            var second = MailApp.SharingWith(first, settings);
            try
            {
                _ = second.Services;
                var slug = await DeliveryTests.CreateWebinarAsync(first);
                var emails = Enumerable.Range(0, 6).Select(i => Mail.Email($"pair{i}")).ToList();
                foreach (var email in emails) await first.RegisterAsync(slug, email);
                await Task.WhenAll(Task.Run(first.DrainAsync), Task.Run(second.DrainAsync));

                var due = Instant.FromUtc(2027, 1, 11, 14, 0, 5);
                first.Clock.Reset(due);
                second.Clock.Reset(due);
                for (var round = 0; round < 3; round++)
                {
                    await Task.WhenAll(Task.Run(first.DrainAsync), Task.Run(second.DrainAsync), Task.Run(first.DrainAsync), Task.Run(second.DrainAsync));
                }

                Assert.All(emails, e => Assert.Equal(["Starts in 24 hours"], RemindersTests.Reminders(smtp, e)));
                Assert.All(emails, e => Assert.Equal(2, smtp.To(e).Count)); // the confirmation and one reminder
            }
            finally
            {
                await second.DisposeAsync();
            }
        });
    }
}
