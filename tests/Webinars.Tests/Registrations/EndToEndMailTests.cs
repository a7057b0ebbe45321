using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MimeKit;
using NodaTime;
using Webinars.Tests.Email;
using Webinars.Tests.Infrastructure;
using Webinars.Webinars;
using static Webinars.Tests.Registrations.Registering;

namespace Webinars.Tests.Registrations;

/// <summary>
/// From the attendee's POST to what lands in their mailbox and back: the real registration flow, the real outbox and
/// MailKit sending to a real SMTP server in the test process, the link from the received email used as a browser and as
/// an API client would. Runs once per database.
/// </summary>
public abstract partial class EndToEndMailTests(WebinarsApp app, SmtpSink smtp)
{
    /// <summary>The default test webinar: 2027-01-12 09:00 in New York.</summary>
    private static readonly DateTime StartUtc = new(2027, 1, 12, 14, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Register_ViaApi_ConfirmationArrivesWithInviteBothTimesAndALinkThatSignsIn()
    {
        var (_, slug) = await WebinarAsync();
        var email = Mail.Email("e2e");

        var receipt = await RegisterOkAsync(app.CreateClient(), slug, Person(email, name: "Mei Tanaka", timeZone: "Asia/Tokyo"));
        await app.DrainAsync();

        Assert.Equal("Confirmed", receipt.GetProperty("status").GetString());
        var message = Assert.Single(smtp.To(email));
        Assert.Equal("confirmation", message.Headers["X-Webinars-Kind"]);
        Assert.Equal(email, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal(["text/html", "text/plain"], message.BodyParts.OfType<TextPart>().Where(p => !p.IsAttachment).Select(p => p.ContentType.MimeType).Order());
        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            Assert.Contains("Tuesday, January 12, 2027, 11:00 PM", body, StringComparison.Ordinal); // 14:00 UTC in Tokyo
            Assert.Contains("JST", body, StringComparison.Ordinal);
            Assert.Contains("9:00–10:00 AM EST", body, StringComparison.Ordinal); // and the host's own time
        }

        var calendar = message.Invite();
        Assert.Equal("REQUEST", calendar.Method);
        var invite = Assert.Single(calendar.Events);
        Assert.Equal($"{await WebinarIdAsync(slug)}@webinars", invite.Uid);
        Assert.Equal(0, invite.Sequence);
        Assert.Equal("America/New_York", invite.DtStart!.TzId);
        Assert.Equal(StartUtc, invite.DtStart.AsUtc);
        Assert.Equal(StartUtc.AddHours(1), invite.DtEnd!.AsUtc);

        var token = TokenIn(message);
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var open = await browser.GetAsync($"/r/{Uri.EscapeDataString(token)}");
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Equal($"/webinars/{slug}/manage", open.Headers.Location!.OriginalString);
        Assert.True(open.Headers.TryGetValues("Set-Cookie", out var cookies), "the link sets no cookie");
        Assert.Contains(cookies, c => c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("no-referrer", Assert.Single(open.Headers.GetValues("Referrer-Policy")));
        var manage = await browser.GetStringAsync($"/webinars/{slug}/manage");
        Assert.Contains("Mei Tanaka", manage, StringComparison.Ordinal);
        Assert.Contains(email, manage, StringComparison.Ordinal);

        var me = await MeAsync(token);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var mine = await me.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(email, mine.GetProperty("email").GetString());
        Assert.Equal("Asia/Tokyo", mine.GetProperty("timeZone").GetString());
        Assert.Equal(slug, mine.GetProperty("webinar").GetProperty("slug").GetString());
    }

    [Fact]
    public async Task Register_AgainWithOtherCasing_MailsANewLinkThatRetiresTheOldOneWhenOpened()
    {
        var (_, slug) = await WebinarAsync();
        var email = Mail.Email("again");
        await RegisterOkAsync(app.CreateClient(), slug, Person(email));
        await app.DrainAsync();
        var oldToken = TokenIn(Assert.Single(smtp.To(email)));

        await RegisterOkAsync(app.CreateClient(), slug, Person($" {email.ToUpperInvariant()} "));
        await app.DrainAsync();

        var messages = smtp.To(email);
        Assert.Equal(["confirmation", "link"], messages.Select(m => m.Headers["X-Webinars-Kind"]));
        var newToken = TokenIn(messages[1]);
        Assert.NotEqual(oldToken, newToken);
        // Someone else may have typed the address: the old link works until the new one is opened.
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(oldToken)).StatusCode);
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal($"/webinars/{slug}/manage", (await browser.GetAsync($"/r/{Uri.EscapeDataString(newToken)}")).Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(oldToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(newToken)).StatusCode);
        Assert.Equal("/registrations/link", (await browser.GetAsync($"/r/{Uri.EscapeDataString(oldToken)}")).Headers.Location!.OriginalString);
        Assert.Single(await RowsAsync(app, slug));
    }

    [Fact]
    public async Task CancelMine_OnAFullWebinar_FirstWaitlistedGetsThePromotedMailWithInvite()
    {
        var (_, slug) = await WebinarAsync(capacity: 1);
        var (seated, first, second) = (Mail.Email("seated"), Mail.Email("first-in-line"), Mail.Email("second-in-line"));
        foreach (var email in new[] { seated, first, second })
        {
            await RegisterOkAsync(app.CreateClient(), slug, Person(email, timeZone: "Europe/Berlin"));
            app.Clock.Advance(Duration.FromSeconds(1)); // arrival order is the waitlist order
        }

        await app.DrainAsync();
        Assert.Equal("waitlisted", Assert.Single(smtp.To(first)).Headers["X-Webinars-Kind"]);
        Assert.False(smtp.To(first)[0].HasInvite());

        var cancel = await Attendee(app, TokenIn(Assert.Single(smtp.To(seated)))).DeleteAsync("/api/registrations/me");
        await app.DrainAsync();

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        var promoted = smtp.To(first)[^1];
        Assert.Equal("promoted", promoted.Headers["X-Webinars-Kind"]);
        var invite = promoted.Invite();
        Assert.Equal("REQUEST", invite.Method);
        Assert.Equal(StartUtc, Assert.Single(invite.Events).DtStart!.AsUtc);
        Assert.Contains("When (your time): Tuesday, January 12, 2027, 3:00–4:00 PM CET", promoted.TextBody, StringComparison.Ordinal); // Berlin
        var promotedMe = await (await MeAsync(TokenIn(promoted))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Confirmed", promotedMe.GetProperty("status").GetString());
        Assert.Single(smtp.To(second)); // still waiting, told nothing new
        var goodbye = smtp.To(seated)[^1];
        Assert.Equal("cancelled", goodbye.Headers["X-Webinars-Kind"]);
        Assert.Equal("CANCEL", goodbye.Invite().Method);
    }

    [Fact]
    public async Task StaffCancelsWebinar_ConfirmedAttendeeGetsMethodCancel_WaitlistedGetsNoInvite()
    {
        var (staff, slug) = await WebinarAsync(capacity: 1);
        var (seated, waiting) = (Mail.Email("seated"), Mail.Email("waiting"));
        await RegisterOkAsync(app.CreateClient(), slug, Person(seated));
        await RegisterOkAsync(app.CreateClient(), slug, Person(waiting));
        await app.DrainAsync();

        (await staff.PostAsync($"/api/webinars/{slug}/cancel", null)).EnsureSuccessStatusCode();
        await app.DrainAsync();

        var cancelled = smtp.To(seated)[^1];
        Assert.Equal("webinar-cancelled", cancelled.Headers["X-Webinars-Kind"]);
        var calendar = cancelled.Invite();
        Assert.Equal("CANCEL", calendar.Method);
        var invite = Assert.Single(calendar.Events);
        Assert.Equal($"{await WebinarIdAsync(slug)}@webinars", invite.Uid);
        Assert.Equal(1, invite.Sequence);
        Assert.Equal("CANCELLED", invite.Status);
        var told = smtp.To(waiting)[^1];
        Assert.Equal("webinar-cancelled", told.Headers["X-Webinars-Kind"]);
        Assert.False(told.HasInvite());
        Assert.Equal(2, smtp.To(seated).Count);
    }

    [Fact]
    public async Task TzDatabaseMovesTheInstant_Recompute_RegistrantGetsRescheduledMailWithNextSequence()
    {
        var (_, slug) = await WebinarAsync();
        var email = Mail.Email("tzdb");
        await RegisterOkAsync(app.CreateClient(), slug, Person(email, timeZone: "Asia/Tokyo"));
        await app.DrainAsync();
        var sequence = 0;
        await app.WithDbAsync(async db =>
        {
            // As if an older tz database had put 09:00 New York an hour later.
            var webinar = await db.Webinars.SingleAsync(w => w.Slug == slug);
            webinar.StartsAt += Duration.FromHours(1);
            webinar.EndsAt += Duration.FromHours(1);
            sequence = webinar.Sequence;
            await db.SaveChangesAsync();
        });

        var moved = await app.Services.GetServices<IHostedService>().OfType<ScheduleRecomputation>().Single().RecomputeAsync(CancellationToken.None);
        await app.DrainAsync();

        Assert.Equal(1, moved);
        var messages = smtp.To(email);
        Assert.Equal(["confirmation", "rescheduled"], messages.Select(m => m.Headers["X-Webinars-Kind"]));
        var rescheduled = messages[1];
        Assert.Contains("was Wed 0:00, now Tue 23:00 your time (Asia/Tokyo)", rescheduled.TextBody, StringComparison.Ordinal);
        var calendar = rescheduled.Invite();
        Assert.Equal("REQUEST", calendar.Method);
        var invite = Assert.Single(calendar.Events);
        Assert.Equal(sequence + 1, invite.Sequence);
        Assert.Equal(messages[0].Invite().Events[0]!.Uid, invite.Uid);
        Assert.Equal(StartUtc, invite.DtStart!.AsUtc);
    }

    private async Task<(HttpClient Staff, string Slug)> WebinarAsync(int capacity = 100)
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Registering.WebinarAsync(staff, b => b["capacity"] = capacity);
        return (staff, slug);
    }

    private Task<HttpResponseMessage> MeAsync(string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.GetAsync("/api/registrations/me");
    }

    private async Task<Guid> WebinarIdAsync(string slug)
    {
        var id = Guid.Empty;
        await app.WithDbAsync(async db => id = await db.Webinars.Where(w => w.Slug == slug).Select(w => w.Id).SingleAsync());
        return id;
    }

    /// <summary>The token of the <c>/r/{token}</c> link in the message; the same link in its text and HTML parts.</summary>
    private static string TokenIn(MimeMessage message)
    {
        var inText = LinkPattern().Match(message.TextBody ?? "");
        Assert.True(inText.Success, $"no /r/ link in: {message.TextBody}");
        Assert.Contains(inText.Value, message.HtmlBody ?? "", StringComparison.Ordinal);
        return Uri.UnescapeDataString(inText.Groups["token"].Value);
    }

    [GeneratedRegex(@"https://webinars\.example\.org/r/(?<token>[A-Za-z0-9_%\-]+)")]
    private static partial Regex LinkPattern();
}

public sealed class SqliteEndToEndMailTests(SmtpSqliteApp app) : EndToEndMailTests(app, app.Smtp), IClassFixture<SmtpSqliteApp>;

public sealed class PostgresEndToEndMailTests(SmtpPostgresApp app) : EndToEndMailTests(app, app.Smtp), IClassFixture<SmtpPostgresApp>;
