using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;
using Webinars.Email;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Email;

/// <summary>Reminders 24 h and 1 h before: once per confirmed attendee, at the right instant, following a reschedule.</summary>
public sealed class RemindersTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Reminders_ClockPastEachOffset_SentOncePerConfirmedAttendee(DatabaseProvider provider)
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        await MailApp.RunAsync(provider, MailSettings.For(smtp), async app =>
        {
            var slug = await DeliveryTests.CreateWebinarAsync(app); // 2027-01-12 09:00 New York = 14:00Z
            string[] confirmed = [Mail.Email("r1"), Mail.Email("r2")];
            var waiting = Mail.Email("r-wait");
            foreach (var email in confirmed) await app.RegisterAsync(slug, email);
            await app.RegisterAsync(slug, waiting, RegistrationStatus.Waitlisted);
            await app.DrainAsync();

            app.Clock.Reset(Instant.FromUtc(2027, 1, 11, 13, 59));
            await app.DrainAsync();
            Assert.All(confirmed, e => Assert.Empty(Reminders(smtp, e)));

            app.Clock.Reset(Instant.FromUtc(2027, 1, 11, 14, 0, 30));
            await app.DrainAsync();
            await app.DrainAsync();
            Assert.All(confirmed, e => Assert.Equal(["Starts in 24 hours"], Reminders(smtp, e)));

            app.Clock.Reset(Instant.FromUtc(2027, 1, 12, 13, 0, 30));
            await app.DrainAsync();
            await app.DrainAsync();
            Assert.All(confirmed, e => Assert.Equal(["Starts in 24 hours", "Starts in 1 hour"], Reminders(smtp, e)));
            Assert.Empty(Reminders(smtp, waiting));
        });
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Reminder_WebinarRescheduled_FollowsTheNewStart(DatabaseProvider provider)
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        await MailApp.RunAsync(provider, MailSettings.For(smtp), async app =>
        {
            var staff = await app.CreateStaffClientAsync();
            var topic = await TestData.CreateTopicAsync(staff);
            var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic));
            var email = Mail.Email("follow");
            await app.RegisterAsync(slug, email);
            await app.DrainAsync();

            (await staff.PutAsJsonAsync($"/api/webinars/{slug}", TestData.WebinarBody(topic, localStart: "2027-01-14T09:00:00"))).EnsureSuccessStatusCode();
            await app.DrainAsync();
            app.Clock.Reset(Instant.FromUtc(2027, 1, 11, 14, 0, 30)); // the old 24 h mark
            await app.DrainAsync();
            Assert.Empty(Reminders(smtp, email));

            app.Clock.Reset(Instant.FromUtc(2027, 1, 13, 14, 0, 30)); // the new one
            await app.DrainAsync();

            Assert.Equal(["Starts in 24 hours"], Reminders(smtp, email));
            await app.WithDbAsync(async db => Assert.EndsWith(":24h:1", await db.Set<global::Webinars.Email.OutboxMessage>()
                .Where(m => m.To == email && m.Kind == MessageKinds.Reminder).Select(m => m.DedupeKey).SingleAsync()));
        });
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Reminders_WrittenAheadThenRescheduled_NoneAtTheOldInstant_OnceAtTheNew(DatabaseProvider provider)
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        await MailApp.RunAsync(provider, MailSettings.For(smtp), async app =>
        {
            var staff = await app.CreateStaffClientAsync();
            var topic = await TestData.CreateTopicAsync(staff);
            var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic)); // 24 h mark: 2027-01-11 14:00Z
            string[] emails = [Mail.Email("ahead1"), Mail.Email("ahead2")];
            foreach (var email in emails) await app.RegisterAsync(slug, email);
            await app.DrainAsync();

            app.Clock.Reset(Instant.FromUtc(2027, 1, 11, 13, 55)); // within the 10 minutes written ahead
            await app.DrainAsync();
            await app.WithDbAsync(async db =>
            {
                var written = await db.OutboxMessages().Where(m => m.Kind == MessageKinds.Reminder).ToListAsync();
                Assert.Equal(2, written.Count);
                Assert.All(written, m => Assert.Equal(Instant.FromUtc(2027, 1, 11, 14, 0), m.NextAttemptAt));
                Assert.All(written, m => Assert.True(m.IsWritten));
            });
            Assert.All(emails, e => Assert.Empty(Reminders(smtp, e)));

            (await staff.PutAsJsonAsync($"/api/webinars/{slug}", TestData.WebinarBody(topic, localStart: "2027-01-14T09:00:00"))).EnsureSuccessStatusCode();
            app.Clock.Reset(Instant.FromUtc(2027, 1, 11, 14, 0, 1)); // the old instant
            await app.DrainAsync();
            Assert.All(emails, e => Assert.Empty(Reminders(smtp, e)));

            app.Clock.Reset(Instant.FromUtc(2027, 1, 13, 13, 58)); // the new one, written ahead
            await app.DrainAsync();
            Assert.All(emails, e => Assert.Empty(Reminders(smtp, e)));
            app.Clock.Reset(Instant.FromUtc(2027, 1, 13, 14, 0));
            await app.DrainAsync();
            await app.DrainAsync();

            Assert.All(emails, e => Assert.Equal(["Starts in 24 hours"], Reminders(smtp, e)));
        });
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Reminder_DaylightSavingStartsInBetween_Fires24RealHoursBefore(DatabaseProvider provider)
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        await MailApp.RunAsync(provider, MailSettings.For(smtp), async app =>
        {
            // 2027-03-14 09:00 in New York is EDT (13:00Z); clocks sprang forward at 02:00 that morning.
            var slug = await DeliveryTests.CreateWebinarAsync(app, "2027-03-14T09:00:00");
            var email = Mail.Email("dst");
            await app.RegisterAsync(slug, email);
            await app.DrainAsync();
            await app.WithDbAsync(async db => Assert.Equal(Instant.FromUtc(2027, 3, 13, 13, 0),
                await db.Set<ReminderSchedule>().Where(s => s.OffsetMinutes == 24 * 60).Select(s => s.DueAt).SingleAsync()));

            app.Clock.Reset(Instant.FromUtc(2027, 3, 13, 12, 59, 59));
            await app.DrainAsync();
            Assert.Empty(Reminders(smtp, email));

            app.Clock.Reset(Instant.FromUtc(2027, 3, 13, 13, 0)); // 08:00 EST, not local 09:00 (14:00Z)
            await app.DrainAsync();
            Assert.Equal(["Starts in 24 hours"], Reminders(smtp, email));
        });
    }

    [Fact]
    public async Task Reminder_AttendeeConfirmedAfterItWentOut_IsNotSentLate()
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        await MailApp.RunAsync(DatabaseProvider.Sqlite, MailSettings.For(smtp), async app =>
        {
            var slug = await DeliveryTests.CreateWebinarAsync(app);
            var early = Mail.Email("early");
            await app.RegisterAsync(slug, early);
            await app.DrainAsync();
            app.Clock.Reset(Instant.FromUtc(2027, 1, 11, 14, 1));
            await app.DrainAsync();

            var late = Mail.Email("late");
            await app.RegisterAsync(slug, late);
            await app.DrainAsync();
            app.Clock.Advance(Duration.FromMinutes(10));
            await app.DrainAsync();

            Assert.Equal(["Starts in 24 hours"], Reminders(smtp, early));
            Assert.Empty(Reminders(smtp, late));
            Assert.Single(smtp.To(late)); // the confirmation
        });
    }

    internal static List<string> Reminders(SmtpSink smtp, string email) =>
        [.. smtp.To(email).Where(m => m.Headers["X-Webinars-Kind"] == MessageKinds.Reminder).Select(m => m.Subject!.Split(':')[0])];
}
