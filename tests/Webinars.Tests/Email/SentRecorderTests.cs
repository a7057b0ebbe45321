using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Webinars.Data;
using Webinars.Email;

namespace Webinars.Tests.Email;

/// <summary>
/// The sent marks written while a batch goes: a full group is one statement that marks each of its rows sent and
/// stores the content each was sent with (a message written at send time has no other save), on both databases.
/// </summary>
public sealed class SentRecorderTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task FullGroup_MarkedSentWithItsContent_TheRestUntouched(DatabaseProvider provider)
    {
        await MailApp.RunAsync(provider, MailSettings.For(smtpPort: 9), async app =>
        {
            var count = SentRecorder.GroupSize + 2;
            await app.WithDbAsync(async db =>
            {
                for (var i = 0; i < count; i++)
                {
                    Outbox.QueueDeferred(db, new DeferredMail("confirmation", $"r{i}@example.org", $"Reader {i}", Guid.NewGuid(), Guid.NewGuid(), $"token-r{i}"),
                        $"recorder:{i}", app.Clock.GetCurrentInstant());
                }

                await db.SaveChangesAsync();
            });

            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
                var rows = await db.OutboxMessages().OrderBy(m => m.To).ToListAsync();
                for (var i = 0; i < count; i++)
                {
                    // Written in memory as the dispatcher does at send time; quotes, braces and non-ASCII go in as values.
                    var draft = new MailDraft("confirmation", rows[i].To, rows[i].ToName, $"You're registered {{{i}}}", $"Text “{i}” O'Brien", $"<p>{i}</p>")
                    {
                        Attachment = i % 2 == 0 ? new MailAttachment("invite.ics", "text/calendar", $"BEGIN:VCALENDAR {i}") : null,
                    };
                    Outbox.Write(rows[i], draft);
                }

                var recorder = new SentRecorder(db, rows, app.Clock, write => write(), NullLogger.Instance);
                for (var i = 0; i < SentRecorder.GroupSize; i++) await recorder.Accepted(i);

                Assert.Equal(SentRecorder.GroupSize, (await recorder.CompleteAsync()).Count);
                Assert.All(rows.Take(SentRecorder.GroupSize), r => Assert.Equal(EntityState.Unchanged, db.Entry(r).State));
            }

            await app.WithDbAsync(async db =>
            {
                var stored = await db.OutboxMessages().AsNoTracking().OrderBy(m => m.To).ToListAsync();
                for (var i = 0; i < count; i++)
                {
                    var row = stored[i];
                    if (i < SentRecorder.GroupSize)
                    {
                        Assert.Equal(app.Clock.GetCurrentInstant(), row.SentAt);
                        Assert.Equal((1, null, null, null), (row.Attempts, row.AccessToken, row.ClaimedUntil, row.LastError));
                        Assert.Equal($"You're registered {{{i}}}", row.Subject);
                        Assert.Equal($"Text “{i}” O'Brien", row.TextBody);
                        Assert.Equal($"<p>{i}</p>", row.HtmlBody);
                        Assert.Equal(i % 2 == 0 ? ("invite.ics", "text/calendar", $"BEGIN:VCALENDAR {i}") : (null, null, null),
                            (row.AttachmentName, row.AttachmentContentType, row.AttachmentContent));
                    }
                    else
                    {
                        Assert.Equal((null, null, 0, $"token-{row.To[..row.To.IndexOf('@')]}"), (row.SentAt, row.TextBody, row.Attempts, row.AccessToken));
                    }
                }
            });
        });
    }
}
