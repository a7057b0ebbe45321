using System.Net;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Webinars.Data;
using Webinars.Email;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Email;

/// <summary>Getting messages out: SMTP outages, the .eml pickup folder and the staff page that lists the outbox.</summary>
public sealed class DeliveryTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task SmtpDown_MessageStaysQueuedWithAttemptsThenIsSentOnceWhenServerIsUp(DatabaseProvider provider)
    {
        await using var smtp = new SmtpSink(); // not started: the port refuses connections
        await MailApp.RunAsync(provider, MailSettings.For(smtp), async app =>
        {
            var slug = await CreateWebinarAsync(app);
            var email = Mail.Email("patient");
            await app.RegisterAsync(slug, email);

            Assert.Equal(0, await app.DrainAsync());
            OutboxMessage? row = null;
            await app.WithDbAsync(async db => row = await db.OutboxMessages().SingleAsync(m => m.To == email));
            Assert.Equal(1, row!.Attempts);
            Assert.Null(row.SentAt);
            Assert.Equal("failed", row.Status);
            Assert.NotNull(row.LastError);
            Assert.True(row.NextAttemptAt > app.Clock.GetCurrentInstant());
            Assert.Equal(0, await app.DrainAsync()); // not due yet

            await smtp.StartAsync();
            app.Clock.Advance(NodaTime.Duration.FromMinutes(1));
            Assert.Equal(1, await app.DrainAsync());
            Assert.Equal(0, await app.DrainAsync());

            Assert.Single(smtp.To(email));
            await app.WithDbAsync(async db => row = await db.OutboxMessages().SingleAsync(m => m.To == email));
            Assert.Equal(2, row!.Attempts);
            Assert.Equal("sent", row.Status);
        });
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task LinkMessage_WrittenWhenSent_GivenUpWhenItsRegistrationIsGone(DatabaseProvider provider)
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        await MailApp.RunAsync(provider, MailSettings.For(smtp), async app =>
        {
            var slug = await CreateWebinarAsync(app);
            var kept = Mail.Email("kept");
            var gone = Mail.Email("gone");
            await app.RegisterAsync(slug, kept);
            await app.RegisterAsync(slug, gone);
            await app.WithDbAsync(async db =>
            {
                Assert.All(await db.OutboxMessages().ToListAsync(), m => Assert.False(m.IsWritten)); // queued without rendering
                await db.Registrations.Where(r => r.Email == gone).ExecuteDeleteAsync();
            });

            Assert.Equal(1, await app.DrainAsync());

            Assert.Empty(smtp.To(gone));
            Assert.Contains("/r/", Assert.Single(smtp.To(kept)).TextBody, StringComparison.Ordinal);
            await app.WithDbAsync(async db =>
            {
                var sent = await db.OutboxMessages().SingleAsync(m => m.To == kept);
                Assert.True(sent.IsWritten); // what was sent is kept for the staff page
                Assert.StartsWith("You're registered", sent.Subject, StringComparison.Ordinal);
                var dropped = await db.OutboxMessages().SingleAsync(m => m.To == gone);
                Assert.NotNull(dropped.GaveUpAt);
                Assert.Null(dropped.SentAt);
                Assert.Contains("no longer exists", dropped.LastError, StringComparison.Ordinal);
            });
        });
    }

    [Fact]
    public async Task BackgroundLoop_SendsWithoutBeingAsked()
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        await MailApp.RunAsync(DatabaseProvider.Sqlite, MailSettings.For(smtp, background: true), async app =>
        {
            var slug = await CreateWebinarAsync(app);
            var email = Mail.Email("loop");

            await app.RegisterAsync(slug, email);

            await smtp.WaitUntilAsync(s => s.To(email).Count == 1);
        });
    }

    [Fact]
    public async Task IdleBackgroundLoop_MessageQueuedHere_WakesItAtOnceNotAtThePoll()
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        var settings = MailSettings.For(smtp, background: true);
        settings["Email:DispatchIntervalSeconds"] = "3600"; // only the signal can wake it within the test
        await MailApp.RunAsync(DatabaseProvider.Sqlite, settings, async app =>
        {
            var slug = await CreateWebinarAsync(app);
            var email = Mail.Email("woken");

            await app.RegisterAsync(slug, email);

            await smtp.WaitUntilAsync(s => s.To(email).Count == 1, seconds: 60);
        });
    }

    [Fact]
    public async Task PickupMode_WritesEmlFiles_ListedAndReadableOnTheStaffPage()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"webinars-pickup-{Guid.NewGuid():N}");
        await MailApp.RunAsync(DatabaseProvider.Sqlite, new() { ["Email:PickupDirectory"] = folder, ["Email:BackgroundDispatch"] = "false" }, async app =>
        {
            var slug = await CreateWebinarAsync(app);
            var email = Mail.Email("pickup");
            await app.RegisterAsync(slug, email, name: "<b>Bold</b> Attendee");

            Assert.Equal(1, await app.DrainAsync());

            var file = Assert.Single(Directory.GetFiles(folder, "*.eml"));
            var message = await MimeMessage.LoadAsync(file);
            Assert.Equal(email, message.To.Mailboxes.Single().Address);
            Assert.Equal("REQUEST", message.Invite().Method);

            var staff = await app.CreateStaffClientAsync();
            var page = await staff.GetStringAsync("/staff/emails");
            Assert.Contains(email, page);
            Assert.Contains("&lt;b&gt;Bold&lt;/b&gt; Attendee", page);
            Assert.Contains(">sent<", page);
            var id = Path.GetFileNameWithoutExtension(file);
            var eml = await staff.GetAsync($"/staff/emails?handler=Eml&id={id}");
            Assert.Equal(HttpStatusCode.OK, eml.StatusCode);
            Assert.Equal("text/plain", eml.Content.Headers.ContentType!.MediaType);
            var shown = await eml.Content.ReadAsStringAsync();
            Assert.Contains("BEGIN:VCALENDAR", shown);
            // The file is the developer's inbox and keeps a working link; staff see it masked.
            Assert.Contains("/r/", message.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain(MailMessages.TokenPlaceholder, message.TextBody, StringComparison.Ordinal);
            Assert.Contains("/r/••••••", shown, StringComparison.Ordinal);
        });
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task StaffEmailsPage_Anonymous_IsNotShown()
    {
        await MailApp.RunAsync(DatabaseProvider.Sqlite, new() { ["Email:BackgroundDispatch"] = "false" }, async app =>
        {
            var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

            var response = await client.GetAsync("/staff/emails");

            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("/staff/signin", response.Headers.Location?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
        });
    }

    internal static async Task<string> CreateWebinarAsync(WebinarsApp app, string localStart = "2027-01-12T09:00:00")
    {
        var staff = await app.CreateStaffClientAsync();
        return await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff), localStart: localStart));
    }
}
