using Microsoft.Playwright;
using NodaTime;
using Webinars.Tests.Infrastructure;
using Webinars.Tests.Registrations;
using Webinars.Time;
using static Microsoft.Playwright.Assertions;

namespace Webinars.Tests.Browser;

/// <summary>The staff webinar editor where it trips people up: a time that happens twice, and moving a webinar people registered for.</summary>
[Collection(BrowserFixtureGroup.Name)]
public sealed class StaffEditorInBrowserTests(BrowserApp app)
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    [Fact]
    public async Task Editor_StartHappensTwice_OffersBothClocksOnceAndSavesTheChosenOne()
    {
        var slug = await Registering.WebinarAsync(await app.CreateStaffClientAsync(), announce: false);
        await using var context = await SignedInAsync();
        var page = context.Pages[0];
        var form = new StaffWebinarEditPage(page);
        await page.GotoAsync($"/staff/webinars/{slug}/edit");

        await form.SetLocalStartAsync("2027-11-07T01:30");

        await Expect(form.ClockChange).ToContainTextAsync(
            "1:30 AM on Nov 7, 2027 happens twice in America/New_York: clocks go back from 2:00 AM to 1:00 AM (EDT → EST). Which one?");
        await Expect(form.Fix("first 1:30 AM EDT")).ToBeVisibleAsync();
        Assert.Equal(1, await PagesInBrowserTests.CountAsync(page, "happens twice in America/New_York"));
        await Expect(form.OffsetBox).Not.ToHaveAttributeAsync("open", "");

        await form.Fix("second 1:30 AM EST").ClickAsync();

        await Expect(form.Offset).ToHaveValueAsync("-05:00");
        await Expect(form.ClockChange).ToBeEmptyAsync();
        var second = NewYork.MapLocal(new LocalDateTime(2027, 11, 7, 1, 30)).Last().ToInstant();
        await Expect(form.Preview).ToContainTextAsync(TimeText.For(second, Duration.FromMinutes(60), NewYork).Text);
        // The page posts to and lands on the same address (and the preview posts too): the notice says it was saved.
        await form.SaveAsync();
        await Expect(form.Notice).ToContainTextAsync("is saved");
        await Expect(form.Offset).ToHaveValueAsync("-05:00"); // the saved start is the second 1:30
    }

    [Fact]
    public async Task Editor_NewTimeForWebinarWithRegistrants_SaysHowManyWillBeToldBeforeSaving()
    {
        var slug = await Registering.WebinarAsync(await app.CreateStaffClientAsync());
        var anonymous = app.CreateClient();
        await Registering.RegisterOkAsync(anonymous, slug, Registering.Person(RegistrationInBrowserTests.NewEmail("told")));
        await Registering.RegisterOkAsync(anonymous, slug, Registering.Person(RegistrationInBrowserTests.NewEmail("told")));
        await using var context = await SignedInAsync();
        var page = context.Pages[0];
        var form = new StaffWebinarEditPage(page);
        await page.GotoAsync($"/staff/webinars/{slug}/edit");
        await Expect(page.Locator("#f-localStart-told")).ToHaveTextAsync("Changing the time will tell 2 registrants by email.");
        await form.SetLocalStartAsync("2027-01-12T10:00");
        var moved = new LocalDateTime(2027, 1, 12, 10, 0).InZoneStrictly(NewYork).ToInstant();
        await Expect(form.Preview).ToContainTextAsync(TimeText.For(moved, Duration.FromMinutes(60), NewYork).Text);

        // Declined: nothing is sent, the form stays as typed.
        var asked = await SaveAnsweringAsync(page, form, accept: false);
        Assert.Contains("This will tell 2 registrants", asked, StringComparison.Ordinal);
        await Expect(form.Notice).ToHaveCountAsync(0);
        await Expect(page.Locator("#f-localStart")).ToHaveValueAsync("2027-01-12T10:00");

        // Accepted: saved (and the registrants are told).
        page.Dialog += Accept;
        try
        {
            await form.SaveAsync();
            await Expect(form.Notice).ToContainTextAsync("is saved");
        }
        finally
        {
            page.Dialog -= Accept;
        }

        await Expect(page.Locator("#f-localStart")).ToHaveValueAsync("2027-01-12T10:00");
    }

    private static void Accept(object? sender, IDialog dialog) => _ = dialog.AcceptAsync();

    private static async Task<string> SaveAnsweringAsync(IPage page, StaffWebinarEditPage form, bool accept)
    {
        var asked = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Answer(object? sender, IDialog dialog)
        {
            asked.TrySetResult(dialog.Message);
            _ = accept ? dialog.AcceptAsync() : dialog.DismissAsync();
        }

        page.Dialog += Answer;
        try
        {
            await form.SaveAsync();
            return await asked.Task.WaitAsync(TimeSpan.FromSeconds(AppProcess.PatienceSeconds));
        }
        finally
        {
            page.Dialog -= Answer;
        }
    }

    /// <summary>A browser context with one page, signed in as a new staff account.</summary>
    private async Task<IBrowserContext> SignedInAsync()
    {
        var (email, password) = await app.CreateStaffAccountAsync();
        var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/staff/signin");
        await new StaffSignInPage(page).SignInAsync(email, password);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Webinars");
        return context;
    }
}
