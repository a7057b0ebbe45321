using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;
using Webinars.Email;

namespace Webinars.Tests.Email;

/// <summary>
/// The manage link's token leaves in the email and stays nowhere: not in the outbox row once sent, not in its stored
/// body, not on the staff pages; sent rows are purged after <c>Email:RetainSentDays</c>.
/// </summary>
public sealed partial class TokensAtRestTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task LinkMessage_AfterDispatch_NoRowColumnOrStaffPageHoldsTheToken(DatabaseProvider provider)
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        await MailApp.RunAsync(provider, MailSettings.For(smtp), async app =>
        {
            var slug = await DeliveryTests.CreateWebinarAsync(app);
            var email = Mail.Email("token");
            await app.RegisterAsync(slug, email);

            Assert.Equal(1, await app.DrainAsync());

            var sent = Assert.Single(smtp.To(email));
            var token = ManageLink().Match(sent.TextBody ?? "").Groups[1].Value; // as escaped in the link
            Assert.True(token.Length >= 40, $"no link with a token in: {sent.TextBody}");
            Assert.Contains($"/r/{token}", sent.HtmlBody, StringComparison.Ordinal);
            OutboxMessage? row = null;
            await app.WithDbAsync(async db => row = await db.OutboxMessages().AsNoTracking().SingleAsync(m => m.To == email));
            Assert.Null(row!.AccessToken);
            string?[] columns = [row.Subject, row.TextBody, row.HtmlBody, row.AttachmentContent, row.DedupeKey, row.LastError, row.ClaimedBy];
            Assert.All(columns, c => Assert.DoesNotContain(token, c ?? "", StringComparison.Ordinal));
            Assert.Contains($"/r/{MailMessages.TokenPlaceholder}", row.TextBody, StringComparison.Ordinal);

            var staff = await app.CreateStaffClientAsync();
            var page = await staff.GetStringAsync("/staff/emails");
            Assert.DoesNotContain(token, page, StringComparison.Ordinal);
            var view = await staff.GetAsync($"/staff/emails?handler=Eml&id={row.Id}");
            Assert.Equal(HttpStatusCode.OK, view.StatusCode);
            var text = await view.Content.ReadAsStringAsync();
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.Contains("/r/••••••", text, StringComparison.Ordinal);
            Assert.Contains("You're registered", text, StringComparison.Ordinal);

            // Rendered as the reader sees it (HTML and text parts, not MIME), the link still masked.
            var read = await staff.GetStringAsync($"/staff/emails/{row.Id}");
            Assert.DoesNotContain(token, read, StringComparison.Ordinal);
            Assert.Contains("/r/••••••", read, StringComparison.Ordinal);
            Assert.Contains("class=\"email-html\"", read, StringComparison.Ordinal);
            Assert.Contains("class=\"email-text\"", read, StringComparison.Ordinal);
            Assert.DoesNotContain("Content-Type:", read, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task SentMessages_OlderThanRetainSentDays_ArePurged()
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        var settings = MailSettings.For(smtp);
        settings["Email:RetainSentDays"] = "30";
        await MailApp.RunAsync(DatabaseProvider.Sqlite, settings, async app =>
        {
            await app.QueueAsync("old", 3);
            Assert.Equal(3, await app.DrainAsync());

            app.Clock.Advance(Duration.FromDays(29));
            await app.QueueAsync("new", 2);
            Assert.Equal(2, await app.DrainAsync());
            await app.WithDbAsync(async db => Assert.Equal(5, await db.OutboxMessages().CountAsync()));

            app.Clock.Advance(Duration.FromDays(2));
            await app.DrainAsync();

            await app.WithDbAsync(async db => Assert.Equal(["new:0", "new:1"], await db.OutboxMessages().OrderBy(m => m.DedupeKey).Select(m => m.DedupeKey).ToListAsync()));
        });
    }

    [GeneratedRegex(@"/r/([A-Za-z0-9_%-]+)")]
    private static partial Regex ManageLink();
}
