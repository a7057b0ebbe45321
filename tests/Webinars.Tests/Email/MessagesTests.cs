using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webinars.Data;
using Webinars.Email;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Email;

/// <summary>The attendee messages as received by a real SMTP server; runs once per database.</summary>
public abstract class MessagesTests(WebinarsApp app, SmtpSink smtp)
{
    private static readonly DateTime StartUtc = new(2027, 1, 12, 14, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Confirmed_Dispatched_ArrivesOnceWithInviteAtTheRightInstant()
    {
        var slug = await CreateWebinarAsync();
        var email = Mail.Email("confirmed");

        var registration = await app.RegisterAsync(slug, email);
        await app.DrainAsync();
        await app.DrainAsync();

        var message = Assert.Single(smtp.To(email));
        var calendar = message.Invite();
        Assert.Equal("REQUEST", calendar.Method);
        var invite = Assert.Single(calendar.Events);
        Assert.Equal($"{registration.WebinarId}@webinars", invite.Uid);
        Assert.Equal(0, invite.Sequence);
        Assert.Equal("America/New_York", invite.DtStart!.TzId);
        Assert.Equal(StartUtc, invite.DtStart.AsUtc);
        Assert.Equal(StartUtc.AddHours(1), invite.DtEnd!.AsUtc);
        Assert.Equal(TimeSpan.FromMinutes(-15), Assert.Single(invite.Alarms).Trigger!.Duration!.Value.ToTimeSpanUnspecified());
        Assert.Equal($"mailto:{email}", Assert.Single(invite.Attendees).Value!.ToString());
        Assert.Contains($"{MailSettings.BaseUrl}/r/", message.TextBody);
        Assert.Contains($"{MailSettings.BaseUrl}/r/", message.HtmlBody);
        Assert.Equal($"{await OutboxIdAsync(email)}@webinars", message.MessageId);
    }

    [Fact]
    public async Task Confirmed_NameWithScript_IsEscapedInHtml()
    {
        var slug = await CreateWebinarAsync();
        var email = Mail.Email("script");

        await app.RegisterAsync(slug, email, name: "<script>alert(1)</script>");
        await app.DrainAsync();

        var message = Assert.Single(smtp.To(email));
        Assert.DoesNotContain("<script>", message.HtmlBody);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", message.HtmlBody);
        Assert.Contains("<script>alert(1)</script>", message.TextBody);
    }

    [Fact]
    public async Task Reschedule_ViaPut_SendsNewInviteWithNextSequenceAndWhatChangedInTheirZone()
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic));
        var confirmed = Mail.Email("moved");
        var waitlisted = Mail.Email("moved-waiting");
        var cancelled = Mail.Email("moved-gone");
        await app.RegisterAsync(slug, confirmed, zone: "Europe/Paris");
        await app.RegisterAsync(slug, waitlisted, RegistrationStatus.Waitlisted, zone: "America/Los_Angeles");
        await app.RegisterAsync(slug, cancelled, RegistrationStatus.Cancelled);
        await app.DrainAsync();

        var put = await staff.PutAsJsonAsync($"/api/webinars/{slug}", TestData.WebinarBody(topic, localStart: "2027-01-13T10:00:00"));
        put.EnsureSuccessStatusCode();
        await app.DrainAsync();

        var moved = Assert.Single(smtp.To(confirmed), m => m.Subject!.StartsWith("New time", StringComparison.Ordinal));
        Assert.Contains("was Tue 15:00, now Wed 16:00 your time (Europe/Paris)", moved.TextBody);
        var invite = Assert.Single(moved.Invite().Events);
        Assert.Equal(1, invite.Sequence);
        Assert.Equal(new DateTime(2027, 1, 13, 15, 0, 0, DateTimeKind.Utc), invite.DtStart!.AsUtc);
        var told = Assert.Single(smtp.To(waitlisted), m => m.Subject!.StartsWith("New time", StringComparison.Ordinal));
        Assert.Contains("was Tue 6:00, now Wed 7:00 your time (America/Los_Angeles)", told.TextBody);
        Assert.False(told.HasInvite());
        Assert.DoesNotContain(smtp.To(cancelled), m => m.Subject!.StartsWith("New time", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CancelWebinar_SendsMethodCancelToConfirmedAttendees()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));
        var email = Mail.Email("called-off");
        await app.RegisterAsync(slug, email);

        (await staff.PostAsync($"/api/webinars/{slug}/cancel", null)).EnsureSuccessStatusCode();
        await app.DrainAsync();

        var message = Assert.Single(smtp.To(email), m => m.Subject!.StartsWith("Cancelled", StringComparison.Ordinal));
        var calendar = message.Invite();
        Assert.Equal("CANCEL", calendar.Method);
        Assert.Equal(1, Assert.Single(calendar.Events).Sequence);
        Assert.Equal("CANCELLED", calendar.Events[0]!.Status);
    }

    [Fact]
    public async Task EveryNotice_QueuesOneMessageOfItsKind()
    {
        var slug = await CreateWebinarAsync();
        var email = Mail.Email("journey");

        var registration = await app.RegisterAsync(slug, email, RegistrationStatus.PendingApproval);
        await NotifyAsync(registration, (n, db, r) => n.Waitlisted(db, r, "token-2"));
        await NotifyAsync(registration, (n, db, r) => n.Promoted(db, r, "token-3"));
        await NotifyAsync(registration, (n, db, r) => n.LinkResent(db, r, "token-4"));
        await NotifyAsync(registration, (n, db, r) => n.Cancelled(db, r));
        await NotifyAsync(registration, (n, db, r) => n.Declined(db, r));
        await app.DrainAsync();

        var kinds = smtp.To(email).Select(m => m.Headers["X-Webinars-Kind"]).ToList();
        Assert.Equal(["pending-approval", "waitlisted", "promoted", "link", "cancelled", "declined"], kinds);
        Assert.Equal("REQUEST", smtp.To(email).Single(m => m.Headers["X-Webinars-Kind"] == "promoted").Invite().Method);
        Assert.Equal("CANCEL", smtp.To(email).Single(m => m.Headers["X-Webinars-Kind"] == "cancelled").Invite().Method);
        Assert.Contains($"{MailSettings.BaseUrl}/r/token-4", smtp.To(email).Single(m => m.Headers["X-Webinars-Kind"] == "link").TextBody);
    }

    [Fact]
    public async Task SameNoticeTwiceInOneUnitOfWork_IsQueuedOnce()
    {
        var slug = await CreateWebinarAsync();
        var email = Mail.Email("twice");

        await app.RegisterAsync(slug, email, notify: (n, db, r, t) =>
        {
            n.Confirmed(db, r, t);
            n.Confirmed(db, r, t);
        });

        await app.WithDbAsync(async db => Assert.Equal(1, await db.OutboxMessages().CountAsync(m => m.To == email)));
    }

    private async Task<string> CreateWebinarAsync()
    {
        var staff = await app.CreateStaffClientAsync();
        return await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));
    }

    private async Task NotifyAsync(Registration registration, Action<IRegistrationNotifier, WebinarsDbContext, Registration> notify)
    {
        app.Clock.AdvanceSeconds(1);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        var tracked = await db.Registrations.SingleAsync(r => r.Id == registration.Id);
        tracked.UpdatedAt = app.Clock.GetCurrentInstant();
        notify(scope.ServiceProvider.GetRequiredService<IRegistrationNotifier>(), db, tracked);
        await db.SaveChangesAsync();
    }

    private async Task<string> OutboxIdAsync(string email)
    {
        var id = Guid.Empty;
        await app.WithDbAsync(async db => id = await db.OutboxMessages().Where(m => m.To == email).Select(m => m.Id).SingleAsync());
        return id.ToString("N");
    }
}

public sealed class SqliteMessagesTests(SmtpSqliteApp app) : MessagesTests(app, app.Smtp), IClassFixture<SmtpSqliteApp>;

public sealed class PostgresMessagesTests(SmtpPostgresApp app) : MessagesTests(app, app.Smtp), IClassFixture<SmtpPostgresApp>;
