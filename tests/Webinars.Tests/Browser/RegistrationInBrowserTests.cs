using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using NodaTime;
using Webinars.Tests.Infrastructure;
using Webinars.Time;
using static Microsoft.Playwright.Assertions;

namespace Webinars.Tests.Browser;

/// <summary>
/// Registering as people do: the form on the webinar page in Chromium, the email from the app's own dispatcher arriving
/// at a real SMTP server, the link in it opened in the same browser.
/// </summary>
[Collection(BrowserFixtureGroup.Name)]
public sealed partial class RegistrationInBrowserTests(BrowserApp app)
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly DateTimeZone Tokyo = DateTimeZoneProviders.Tzdb["Asia/Tokyo"];

    [GeneratedRegex(@"https?://[^\s""<>]+/r/[A-Za-z0-9_-]+")]
    private static partial Regex ManageLink();

    [Fact]
    public async Task Registration_ThroughThePageWithOneSeat_LinkCancelAndPromotion()
    {
        var staff = await app.CreateStaffClientAsync();
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff), $"One Seat {Guid.NewGuid():N}"[..20], "2027-01-12T09:00:00");
        body["capacity"] = 1;
        body["waitlist"] = true;
        var slug = await TestData.CreateWebinarAsync(staff, body);
        var start = new LocalDateTime(2027, 1, 12, 9, 0).InZoneStrictly(NewYork).ToInstant();
        var inTokyo = TimeText.For(start, Duration.FromMinutes(60), Tokyo);
        var (emailA, emailB) = (NewEmail("a"), NewEmail("b"));

        // A, in Tokyo, registers through the form; the zone field is filled in from the browser.
        await using var contextA = await app.NewContextAsync(timeZone: "Asia/Tokyo");
        var pageA = await contextA.NewPageAsync();
        await new WebinarPage(pageA).GotoAsync(slug);
        var formA = new RegistrationFormPart(pageA);
        await Expect(formA.Seats).ToHaveTextAsync("1 seat left.");
        await Expect(formA.TimeZone).ToHaveValueAsync("Asia/Tokyo");
        await formA.FillAsync("Ada Lovelace", emailA, "Analytical Society");
        await FormPosts.ExpectRedirectAsync(pageA, formA.SubmitAsync, $"**/webinars/{slug}/register?done=Confirmed&to=*");
        await Expect(new RegistrationResultPage(pageA).Result).ToContainTextAsync("Check your email");

        // The confirmation arrives by SMTP; its link signs A in and lands on a URL without the token.
        var confirmation = await MailAsync(emailA, "You're registered");
        var linkA = LinkIn(confirmation);
        var tokenA = linkA[(linkA.LastIndexOf('/') + 1)..];
        await pageA.GotoAsync(linkA);
        Assert.Equal($"/webinars/{slug}/manage", new Uri(pageA.Url).PathAndQuery);
        Assert.DoesNotContain(tokenA, pageA.Url, StringComparison.Ordinal);
        var manageA = new ManageRegistrationPage(pageA);
        await Expect(manageA.Status).ToHaveTextAsync("Confirmed");
        await Expect(manageA.YourTime).ToHaveTextAsync($"{inTokyo.Text} (Asia/Tokyo)");
        await Expect(manageA.Zone).ToHaveTextAsync("Asia/Tokyo");
        Assert.Contains("JST", inTokyo.Text, StringComparison.Ordinal);
        await ScreenshotAsync(pageA, "manage");

        // B, in Paris, finds the webinar full and is waitlisted.
        await using var contextB = await app.NewContextAsync(timeZone: "Europe/Paris");
        var pageB = await contextB.NewPageAsync();
        await new WebinarPage(pageB).GotoAsync(slug);
        var formB = new RegistrationFormPart(pageB);
        await Expect(formB.Seats).ToContainTextAsync("Full — waitlist open");
        await Expect(formB.TimeZone).ToHaveValueAsync("Europe/Paris");
        await formB.FillAsync("Grace Hopper", emailB, "");
        await FormPosts.ExpectRedirectAsync(pageB, formB.SubmitAsync, $"**/webinars/{slug}/register?done=Waitlisted&to=*");
        await Expect(new RegistrationResultPage(pageB).Result).ToContainTextAsync("waitlist");
        await ScreenshotAsync(pageB, "result-waitlisted");
        await MailAsync(emailB, "You're on the waitlist");

        // A cancels; the seat goes to B at once, and B is told by email.
        await manageA.CancelAsync();
        await Expect(manageA.Notice).ToHaveTextAsync("Your registration is cancelled.");
        await Expect(manageA.Status).ToHaveTextAsync("Cancelled");
        var promoted = await MailAsync(emailB, "You have a seat");
        await pageB.GotoAsync(LinkIn(promoted));
        Assert.Equal($"/webinars/{slug}/manage", new Uri(pageB.Url).PathAndQuery);
        await Expect(new ManageRegistrationPage(pageB).Status).ToHaveTextAsync("Confirmed");
        await Expect(new ManageRegistrationPage(pageB).YourTime).ToContainTextAsync("(Europe/Paris)");

        // The kept announcement page shows B's device its registration (the card is loaded per device), not a form.
        await new WebinarPage(pageB).GotoAsync(slug);
        await Expect(pageB.Locator("section.register .registered")).ToContainTextAsync("You're registered ✓");
        await Expect(pageB.Locator("section.register form")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task RegistrationForm_BadEmail_ServerAnswersWithFieldErrorsAndKeepsTheValues()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff), $"Bad Email {Guid.NewGuid():N}"[..20]));
        await using var context = await app.NewContextAsync(timeZone: "Europe/Paris");
        var page = await context.NewPageAsync();
        await new WebinarPage(page).GotoAsync(slug);
        var form = new RegistrationFormPart(page);
        await form.FillAsync("Ada Lovelace", "not-an-email", "Analytical Society");

        // The browser does not stop the form (novalidate): the server checks it and answers 400 with the page again.
        var response = await page.RunAndWaitForResponseAsync(form.SubmitAsync, r => r.Request.Method == "POST");

        Assert.Equal(400, response.Status);
        Assert.Equal($"/webinars/{slug}/register", new Uri(page.Url).AbsolutePath);
        await Expect(form.Problem).ToContainTextAsync("Please correct the fields marked below.");
        await Expect(form.FieldErrors).ToHaveCountAsync(1);
        await Expect(form.FieldErrors).ToContainTextAsync("Email is not a valid address");
        await Expect(form.Name).ToHaveValueAsync("Ada Lovelace");
        await Expect(form.Email).ToHaveValueAsync("not-an-email");
        await Expect(form.TimeZone).ToHaveValueAsync("Europe/Paris");
        await ScreenshotAsync(page, "register-error");
    }

    [Fact]
    public async Task RegistrationForm_Honeypot_IsOutOfSightAndOutOfTheTabOrder()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();

        await new WebinarPage(page).GotoAsync(slug);

        var form = new RegistrationFormPart(page);
        await Expect(form.Name).ToBeInViewportAsync();
        await Expect(form.Honeypot).Not.ToBeInViewportAsync();
        await Expect(form.Honeypot).ToHaveAttributeAsync("tabindex", "-1");
        var box = await form.Honeypot.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X + box.Width <= 0, $"The honeypot is at x={box.X}, where people can see it.");
    }

    /// <summary>Registers through the form in <paramref name="page"/> and returns the emailed link.</summary>
    internal static async Task<string> RegisterThroughPageAsync(BrowserApp app, IPage page, string slug, string email)
    {
        await new WebinarPage(page).GotoAsync(slug);
        var form = new RegistrationFormPart(page);
        await form.FillAsync("Ada Lovelace", email, "Analytical Society");
        await FormPosts.ExpectRedirectAsync(page, form.SubmitAsync, $"**/webinars/{slug}/register?done=*");
        await app.Smtp.WaitUntilAsync(s => s.To(email).Count > 0);
        return LinkIn(app.Smtp.To(email)[0]);
    }

    internal static string NewEmail(string tag) => $"{tag}-{Guid.NewGuid():N}@example.org";

    private async Task<MimeMessage> MailAsync(string to, string subjectStart)
    {
        await app.Smtp.WaitUntilAsync(s => s.To(to).Any(m => (m.Subject ?? "").StartsWith(subjectStart, StringComparison.Ordinal)));
        return app.Smtp.To(to).First(m => (m.Subject ?? "").StartsWith(subjectStart, StringComparison.Ordinal));
    }

    private static string LinkIn(MimeMessage message)
    {
        var match = ManageLink().Match(message.TextBody ?? "");
        Assert.True(match.Success, $"No /r/ link in “{message.Subject}”:\n{message.TextBody}");
        return match.Value;
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (BrowserApp.ScreenshotFolder is not { } folder) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}
