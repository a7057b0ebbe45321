using Microsoft.Playwright;
using Webinars.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Webinars.Tests.Browser;

/// <summary>What readers expect, in Chromium: the confirmation and a repeat, the countdown, calendar links, copy link.</summary>
[Collection(BrowserFixtureGroup.Name)]
public sealed class ReaderInBrowserTests(BrowserApp app)
{
    [Fact]
    public async Task Confirmation_RegisteringTwice_MaskedAddressCalendarsNeutralRepeatAndTheFirstLinkStillSignsIn()
    {
        var slug = await WebinarAsync(); // 2027-01-12 09:00–10:00 New York = 14:00–15:00 UTC
        var email = RegistrationInBrowserTests.NewEmail("ada");
        await using var context = await app.NewContextAsync(timeZone: "Europe/Paris", width: 390, height: 844);
        var page = await context.NewPageAsync();
        var result = new RegistrationResultPage(page).Result;

        var firstLink = await RegistrationInBrowserTests.RegisterThroughPageAsync(app, page, slug, email);

        await Expect(result).ToContainTextAsync("We sent your link to a•••@example.org.");
        Assert.Contains("&dates=20270112T140000Z/20270112T150000Z&", await result.Locator("a[data-calendar=google]").GetAttributeAsync("href"), StringComparison.Ordinal);
        Assert.Contains("&startdt=2027-01-12T14:00:00Z&enddt=2027-01-12T15:00:00Z&", await result.Locator("a[data-calendar=outlook]").GetAttributeAsync("href"), StringComparison.Ordinal);
        Assert.Equal($"/webinars/{slug}.ics", await result.Locator("a[data-calendar=ics]").GetAttributeAsync("href"));

        await new WebinarPage(page).GotoAsync(slug);
        var form = new RegistrationFormPart(page);
        await form.FillAsync("Ada Lovelace", email, "Analytical Society");
        await FormPosts.ExpectRedirectAsync(page, form.SubmitAsync, $"**/webinars/{slug}/register?done=Sent&to=*");

        await Expect(result).ToContainTextAsync("If this address can register, we've sent its link to a•••@example.org.");
        await Expect(result).Not.ToContainTextAsync("waitlist");
        await app.Smtp.WaitUntilAsync(s => s.To(email).Count >= 2);
        await using var other = await app.NewContextAsync();
        var elsewhere = await other.NewPageAsync();
        await elsewhere.GotoAsync(firstLink);
        await Expect(new ManageRegistrationPage(elsewhere).Status).ToHaveTextAsync("Confirmed");
    }

    [Fact]
    public async Task Countdown_ConfirmedAttendee_BecomesLiveNowJoinAtTheStart()
    {
        var slug = await WebinarAsync();
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var link = await RegistrationInBrowserTests.RegisterThroughPageAsync(app, page, slug, RegistrationInBrowserTests.NewEmail("count"));
        var attendee = await context.NewPageAsync();
        await attendee.Clock.InstallAsync(new() { TimeString = "2027-01-12T13:57:30Z" });

        await attendee.GotoAsync(link);
        var countdown = attendee.Locator(".countdown");
        await Expect(countdown).ToHaveTextAsync("Starts in 2 minutes");
        await attendee.Clock.FastForwardAsync("03:00");

        var join = countdown.GetByRole(AriaRole.Link, new() { Name = "Live now — join" });
        await Expect(join).ToHaveAttributeAsync("href", $"/webinars/{slug}/live");
    }

    [Fact]
    public async Task ShareButton_WithoutWebShare_CopiesTheAnnouncementAddress()
    {
        var slug = await WebinarAsync();
        await using var context = await app.NewContextAsync();
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = app.BaseUrl });
        await context.AddInitScriptAsync("delete Navigator.prototype.share;"); // a desktop without a share sheet
        var page = await context.NewPageAsync();
        await new WebinarPage(page).GotoAsync(slug);

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy link" }).ClickAsync();

        await Expect(page.Locator(".share-status")).ToHaveTextAsync("Link copied.");
        Assert.Equal($"{app.BaseUrl}/webinars/{slug}", await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
    }

    [Fact]
    public async Task WebinarPage_On390PxPhone_RegisterIsOnTheFirstScreenAndLeadsToTheForm()
    {
        var slug = await WebinarAsync();
        await using var context = await app.NewContextAsync(timeZone: "Asia/Tokyo", width: 390, height: 844);
        var page = await context.NewPageAsync();
        await new WebinarPage(page).GotoAsync(slug);
        // Until registration.js has swapped the cached page's placeholder card for this reader's form, the card holds a
        // second "Register" link (to the form's own page): wait for the form, then there is one.
        await Expect(new RegistrationFormPart(page).Name).ToBeAttachedAsync();
        var register = page.GetByRole(AriaRole.Link, new() { Name = "Register", Exact = true });

        var box = await register.BoundingBoxAsync();

        Assert.NotNull(box);
        Assert.True(box.Y + box.Height <= 844, $"Register is at y={box.Y}, below the first screen (844 px).");
        await register.ClickAsync();
        await Expect(new RegistrationFormPart(page).Name).ToBeInViewportAsync();
    }

    private async Task<string> WebinarAsync()
    {
        var staff = await app.CreateStaffClientAsync();
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff), $"Reader {Guid.NewGuid():N}"[..20], "2027-01-12T09:00:00");
        return await TestData.CreateWebinarAsync(staff, body);
    }
}
