using Microsoft.Playwright;
using Webinars.Registrations;
using static Microsoft.Playwright.Assertions;
using static Webinars.Tests.Registrations.Registering;

namespace Webinars.Tests.Browser;

/// <summary>The staff registrants page in headless Chromium: confirm before cancelling, and a phone's width.</summary>
[Collection(BrowserFixtureGroup.Name)]
public sealed class StaffPagesInBrowserTests(BrowserApp app)
{
    [Fact]
    public async Task Registrants_CancelDismissedThenConfirmed_CancelsOnlyOnConfirmAndNamesWhoMovedUp()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await WebinarAsync(staff, b => b["capacity"] = 1);
        await RegisterOkAsync(app.CreateClient(), slug, Person(RegistrationInBrowserTests.NewEmail("grace"), name: "Grace Hopper"));
        app.Clock.AdvanceSeconds(1);
        await RegisterOkAsync(app.CreateClient(), slug, Person(RegistrationInBrowserTests.NewEmail("alan"), name: "Alan Turing"));
        await using var context = await app.NewContextAsync();
        var page = await SignedInAsync(context, $"/staff/webinars/{slug}/registrants");
        var cancelGrace = page.GetByRole(AriaRole.Button, new() { Name = "Cancel Grace Hopper" });
        var dialogs = new List<string>();
        var accept = false;
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            if (accept) await dialog.AcceptAsync();
            else await dialog.DismissAsync();
        };

        await cancelGrace.ClickAsync();
        await Expect(page.Locator("tr", new() { HasText = "Grace Hopper" }).Locator(".status")).ToHaveTextAsync("Confirmed");
        accept = true;
        await cancelGrace.ClickAsync();

        await Expect(page.Locator(".notice")).ToContainTextAsync("Grace Hopper");
        await Expect(page.Locator(".notice")).ToContainTextAsync("is cancelled and emailed. Alan Turing");
        Assert.Equal(2, dialogs.Count);
        Assert.All(dialogs, d => Assert.StartsWith("Cancel Grace Hopper’s registration?", d, StringComparison.Ordinal));
        var rows = await RowsAsync(app, slug);
        Assert.Equal(RegistrationStatus.Cancelled, rows.Single(r => r.Name == "Grace Hopper").Status);
        Assert.Equal(RegistrationStatus.Confirmed, rows.Single(r => r.Name == "Alan Turing").Status);
    }

    [Fact]
    public async Task Registrants_PhoneViewport_TableScrollsInItsBoxAndCheckboxesAreLargeEnough()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await WebinarAsync(staff, b => b["requiresApproval"] = true);
        for (var i = 0; i < 3; i++)
        {
            await RegisterOkAsync(app.CreateClient(), slug, Person(
                RegistrationInBrowserTests.NewEmail($"a-rather-long-address-{i}"), name: $"Maximilian Alexander Longname {i}",
                organization: "The International Institute for Strategic Dialogue and Trust-Building"));
        }

        await using var context = await app.NewContextAsync(width: 390, height: 844);
        var page = await SignedInAsync(context, $"/staff/webinars/{slug}/registrants");
        await Expect(page.Locator("table.registrants tbody tr")).ToHaveCountAsync(3);

        var pageWidth = await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth");
        var widest = await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 390 && !e.closest(".table-scroll"))
                .slice(0, 3).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join(", ")
            """);
        Assert.True(pageWidth <= 390, $"The registrants page is {pageWidth}px wide on a 390px screen; too wide: {widest}");
        var box = page.Locator(".table-scroll");
        Assert.True(await box.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "The table fits without scrolling; nothing was tested.");
        var pick = await page.Locator("label.pick").First.BoundingBoxAsync();
        Assert.NotNull(pick);
        Assert.True(pick.Width >= 24 && pick.Height >= 24, $"A row checkbox's target is {pick.Width}×{pick.Height}px.");
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Maximilian Alexander Longname 0" })).ToBeVisibleAsync();
    }

    /// <summary>Opens a staff page, signs in on the way, and waits to be back on it.</summary>
    private async Task<IPage> SignedInAsync(IBrowserContext context, string path)
    {
        var (email, password) = await app.CreateStaffAccountAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await new StaffSignInPage(page).SignInAsync(email, password);
        await Landing.ExpectAsync(page, "**" + path);
        return page;
    }
}
