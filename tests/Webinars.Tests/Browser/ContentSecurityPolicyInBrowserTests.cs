using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Webinars.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Webinars.Tests.Browser;

/// <summary>
/// Every page, with its scripts running, under the strict Content-Security-Policy: Chromium reports no violation.
/// A page with an inline script or handler, or a script reaching another origin, fails here.
/// </summary>
[Collection(BrowserFixtureGroup.Name)]
public sealed partial class ContentSecurityPolicyInBrowserTests(BrowserApp app)
{
    [GeneratedRegex(@"https?://[^\s""<>]+/r/[A-Za-z0-9_-]+")]
    private static partial Regex ManageLink();

    [Fact]
    public async Task EveryPage_InChromium_ReportsNoCspViolation()
    {
        var staffApi = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staffApi);
        var slug = await TestData.CreateWebinarAsync(staffApi, TestData.WebinarBody(topic, $"Policy {Guid.NewGuid():N}"[..20]));
        var email = $"csp-{Guid.NewGuid():N}@example.org";
        await using var context = await app.NewContextAsync(timeZone: "Asia/Tokyo");
        var page = await context.NewPageAsync();

        // Public pages, and registering through the form (its script fills in the zone).
        foreach (var path in new[] { "/", $"/topics/{topic}", "/registrations/link", $"/webinars/{slug}" }) await VisitAsync(page, path);
        var form = new RegistrationFormPart(page);
        await Expect(form.TimeZone).ToHaveValueAsync("Asia/Tokyo");
        await form.FillAsync("Grace Hopper", email, "Navy");
        await FormPosts.ExpectRedirectAsync(page, form.SubmitAsync, $"**/webinars/{slug}/register?done=*");

        // The attendee's pages, through the emailed link.
        await app.Smtp.WaitUntilAsync(s => s.To(email).Count > 0);
        var link = ManageLink().Match(app.Smtp.To(email)[0].TextBody ?? "");
        Assert.True(link.Success, "No /r/ link in the confirmation");
        await VisitAsync(page, link.Value);
        await VisitAsync(page, $"/webinars/{slug}/live");

        // Staff pages, signed in with the cookie; the webinar form's live preview calls the API.
        var (staffEmail, password) = await app.CreateStaffAccountAsync();
        await VisitAsync(page, "/staff/signin");
        await new StaffSignInPage(page).SignInAsync(staffEmail, password);
        await Landing.ExpectAsync(page, "**/staff");
        foreach (var path in new[] { "/staff", "/staff/topics/new", "/staff/emails", $"/staff/webinars/{slug}/registrants", $"/staff/webinars/{slug}/edit", "/staff/webinars/new" })
        {
            await VisitAsync(page, path);
        }

        var webinarForm = new StaffWebinarEditPage(page);
        await webinarForm.FillAsync(topic, "Previewed", "America/New_York", "2027-02-03T10:00", 45, "Europe/Paris");
        await Expect(webinarForm.Preview).ToContainTextAsync("Paris");

        var violations = CspViolations.In(context);
        Assert.True(violations.Count == 0, "Content-Security-Policy violations:\n" + string.Join('\n', violations));
    }

    private static async Task VisitAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.NetworkIdle, Timeout = 60_000 });
        // The "send my link" page answers 404 on purpose: it is where unknown links land.
        Assert.True(response is not null && (response.Ok || path == "/registrations/link"), $"{path} answered {response?.Status}");
        Assert.Contains("script-src 'self'", await response!.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
    }
}
