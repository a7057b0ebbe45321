using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Webinars.Email;
using Webinars.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Webinars.Tests.Browser;

/// <summary>
/// Every page, anonymous and staff, checked by axe-core (WCAG 2.1 A and AA rules) in Chromium at a desktop and a phone
/// width, and measured at 390 px for a sideways scroll; then what axe cannot see: a registration by keyboard alone and
/// where focus goes after an error.
/// </summary>
[Collection(BrowserFixtureGroup.Name)]
public sealed class AccessibilityInBrowserTests(BrowserApp app)
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static Site? Cached;

    public static TheoryData<string> Pages =>
    [
        "home", "topic", "webinar", "register", "result", "register-errors", "manage", "live", "link", "not-found", "signin",
        "staff", "emails", "email", "new", "new-errors", "edit", "registrants", "topics", "topic-new", "topic-edit", "publish", "moderate",
        "present",
    ];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_AxeAtDesktopAndPhoneWidth_NoSeriousViolationsAndNoSideScroll(string kind)
    {
        var site = await SiteAsync();
        var state = kind is "manage" or "live" ? site.Attendee : IsStaff(kind) ? site.Staff : null;
        await using var context = await app.NewContextAsync(storageState: state);
        var page = await context.NewPageAsync();

        await OpenAsync(page, kind, site);

        await Expect(page.Locator("h1").First).ToBeVisibleAsync();
        await ExpectNoSeriousViolationsAsync(page, kind);
        await page.SetViewportSizeAsync(390, 844);
        await ExpectNoSeriousViolationsAsync(page, kind + " at 390 px");
        var width = await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth");
        Assert.True(width <= 390, $"The {kind} page is {width}px wide on a 390px screen; too wide: {await WiderThanScreenAsync(page)}");
    }

    [Fact]
    public async Task Registration_KeyboardOnly_SkipLinkThenFieldsThenRegister()
    {
        var site = await SiteAsync();
        await using var context = await app.NewContextAsync(timeZone: "Europe/Paris");
        var page = await context.NewPageAsync();
        await new WebinarPage(page).GotoAsync(site.Slug);

        // The first Tab reaches the skip link, and Enter takes focus past the header.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main")).ToBeFocusedAsync();

        // Sending the empty form: the browser names the missing fields and focus lands on the first.
        var form = new RegistrationFormPart(page);
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Register" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(form.Name).ToBeFocusedAsync();
        await Expect(form.Name).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#" + await form.Name.GetAttributeAsync("aria-describedby"))).ToHaveTextAsync("Name is required.");
        await Expect(form.Problem).ToBeVisibleAsync();

        await page.Keyboard.TypeAsync("Ada Lovelace");
        await page.Keyboard.PressAsync("Tab");
        await Expect(form.Email).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(RegistrationInBrowserTests.NewEmail("keys"));
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Register" }));
        await FormPosts.ExpectRedirectAsync(page, () => page.Keyboard.PressAsync("Enter"), $"**/webinars/{site.Slug}/register?done=Confirmed&to=*");
        await Expect(new RegistrationResultPage(page).Result).ToContainTextAsync("Check your email");
    }

    [Fact]
    public async Task RegistrationForm_ServerRefusesEmail_FocusOnTheFieldWhichPointsAtItsError()
    {
        var site = await SiteAsync();
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await new WebinarPage(page).GotoAsync(site.Slug);
        var form = new RegistrationFormPart(page);
        await form.FillAsync("Ada Lovelace", "not-an-email", "");

        var response = await page.RunAndWaitForResponseAsync(form.SubmitAsync, r => r.Request.Method == "POST");

        Assert.Equal(400, response.Status);
        await Expect(form.Email).ToBeFocusedAsync();
        await Expect(form.Email).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(form.Email).ToHaveAttributeAsync("aria-describedby", "r-email-error");
        await Expect(page.Locator("#r-email-error")).ToContainTextAsync("Email is not a valid address");
        await Expect(form.Name).Not.ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Null(await form.Name.GetAttributeAsync("aria-describedby"));
    }

    [Fact]
    public async Task StaffForms_EveryDescribedById_IsOnThePage()
    {
        var site = await SiteAsync();
        await using var context = await app.NewContextAsync(storageState: site.Staff);
        var page = await context.NewPageAsync();

        foreach (var kind in new[] { "new", "new-errors", "edit" })
        {
            await OpenAsync(page, kind, site);
            var missing = await page.EvaluateAsync<string[]>(
                """[...document.querySelectorAll("[aria-describedby]")].flatMap(e => e.getAttribute("aria-describedby").split(" ").filter(id => !document.getElementById(id)))""");
            Assert.True(missing.Length == 0, $"{kind}: aria-describedby points at missing ids {string.Join(", ", missing)}");
        }
    }

    private static async Task TabToAsync(IPage page, ILocator target)
    {
        for (var i = 0; i < 60; i++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement")) return;
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail("Tab never reached " + target);
    }

    private static bool IsStaff(string kind) =>
        kind is "staff" or "emails" or "email" or "new" or "new-errors" or "edit" or "registrants" or "topics" or "topic-new" or "topic-edit" or "publish" or "moderate" or "present";

    private static async Task OpenAsync(IPage page, string kind, Site site)
    {
        var s = site.Slug;
        switch (kind)
        {
            case "register-errors":
                await new WebinarPage(page).GotoAsync(s);
                var form = new RegistrationFormPart(page);
                await form.FillAsync("Ada Lovelace", "not-an-email", "");
                await page.RunAndWaitForResponseAsync(form.SubmitAsync, r => r.Request.Method == "POST");
                return;
            case "new-errors":
                await page.GotoAsync("/staff/webinars/new");
                await page.Locator("#webinar-form button[type=submit]").ClickAsync();
                await Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
                return;
            default:
                await page.GotoAsync(kind switch
                {
                    "home" => "/",
                    "topic" => $"/topics/{site.Topic}",
                    "webinar" => $"/webinars/{s}",
                    "register" => $"/webinars/{s}/register",
                    "result" => $"/webinars/{s}/register?done=Confirmed",
                    "manage" => $"/webinars/{s}/manage",
                    "live" => $"/webinars/{s}/live",
                    "link" => "/registrations/link",
                    "not-found" => "/webinars/no-such-webinar",
                    "signin" => "/staff/signin",
                    "staff" => "/staff",
                    "emails" => "/staff/emails",
                    "email" => $"/staff/emails/{site.EmailId}",
                    "new" => "/staff/webinars/new",
                    "edit" => $"/staff/webinars/{s}/edit",
                    "registrants" => $"/staff/webinars/{s}/registrants",
                    "topics" => "/staff/topics",
                    "topic-new" => "/staff/topics/new",
                    "topic-edit" => $"/staff/topics/{site.Topic}/edit",
                    "publish" => $"/staff/webinars/{s}/publish",
                    "moderate" => $"/webinars/{s}/moderate",
                    "present" => $"/webinars/{s}/present",
                    _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
                });
                return;
        }
    }

    /// <summary>The innermost elements reaching past the screen's right edge, named so a failure says what to fix.</summary>
    private static async Task<string> WiderThanScreenAsync(IPage page) => await page.EvaluateAsync<string>("""
        () => [...document.querySelectorAll("body *")]
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
          .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
          .slice(0, 5)
          .map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).trim().replace(/\s+/g, ".") : "") + " (" + Math.round(e.getBoundingClientRect().right) + "px)")
          .join(", ")
        """);

    private static async Task ExpectNoSeriousViolationsAsync(IPage page, string what)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{what}: " + string.Join("; ", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}")));
    }

    /// <summary>
    /// One webinar with a registered attendee (its email is in the outbox), and signed-in browser states for staff and
    /// the attendee, made once for the whole class.
    /// </summary>
    private async Task<Site> SiteAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (Cached is { } made && made.App == app) return made;
            var staffClient = await app.CreateStaffClientAsync();
            var topic = await TestData.CreateTopicAsync(staffClient, "Strategic Trust-Building and Very Long Topic Names That Wrap On Phones");
            // A name with no place to break (as a pasted identifier would be) must wrap on a phone too, in every list.
            var unbreakable = await TestData.CreateTopicAsync(staffClient, "Topic" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"));
            await TestData.CreateWebinarAsync(staffClient, TestData.WebinarBody(unbreakable, "Webinar" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), "2027-02-03T09:00:00"));
            var slug = await TestData.CreateWebinarAsync(staffClient, TestData.WebinarBody(topic,
                "International Organizations and Conflict Resolution in the Time of COVID-19: Antidisestablishmentarianism", "2027-02-02T09:00:00"));

            await using var attendee = await app.NewContextAsync();
            var attendeePage = await attendee.NewPageAsync();
            var email = RegistrationInBrowserTests.NewEmail("axe");
            await attendeePage.GotoAsync(await RegistrationInBrowserTests.RegisterThroughPageAsync(app, attendeePage, slug, email));
            await Landing.ExpectAsync(attendeePage, $"**/webinars/{slug}/manage");
            var attendeeState = await attendee.StorageStateAsync();

            var (staffEmail, password) = await app.CreateStaffAccountAsync();
            await using var staff = await app.NewContextAsync();
            var staffPage = await staff.NewPageAsync();
            await staffPage.GotoAsync("/staff/signin");
            await new StaffSignInPage(staffPage).SignInAsync(staffEmail, password);
            await Expect(staffPage.Locator("h1")).ToHaveTextAsync("Webinars");
            var staffState = await staff.StorageStateAsync();

            Guid emailId = default;
            await app.WithDbAsync(async db => emailId = await db.OutboxMessages().Where(m => m.To == email).Select(m => m.Id).SingleAsync());
            return Cached = new Site(app, topic, slug, emailId, staffState, attendeeState);
        }
        finally
        {
            Once.Release();
        }
    }

    private sealed record Site(BrowserApp App, string Topic, string Slug, Guid EmailId, string Staff, string Attendee);
}
