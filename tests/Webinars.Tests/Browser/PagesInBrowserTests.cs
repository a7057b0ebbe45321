using Microsoft.Playwright;
using NodaTime;
using Webinars.Tests.Infrastructure;
using Webinars.Time;
using static Microsoft.Playwright.Assertions;

namespace Webinars.Tests.Browser;

/// <summary>The pages as a reader and a staff member use them, in headless Chromium against the app on Kestrel.</summary>
[Collection(BrowserFixtureGroup.Name)]
public sealed class PagesInBrowserTests(BrowserApp app)
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly DateTimeZone Tokyo = DateTimeZoneProviders.Tzdb["Asia/Tokyo"];

    [Fact]
    public async Task WebinarPage_BrowserInTokyo_ShowsTokyoTimeAsYourTime()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff), localStart: "2027-01-12T09:00:00"));
        var expected = TimeText.For(new LocalDateTime(2027, 1, 12, 9, 0).InZoneStrictly(NewYork).ToInstant(), Duration.FromMinutes(60), Tokyo);
        await using var context = await app.NewContextAsync(timeZone: "Asia/Tokyo");
        var page = await context.NewPageAsync();
        var webinar = new WebinarPage(page);

        await webinar.GotoAsync(slug);

        await Expect(webinar.YourTime).ToContainTextAsync(expected.Text);
        await Expect(webinar.YourTime).ToContainTextAsync("(Asia/Tokyo)");
        await Expect(webinar.YourTime).ToContainTextAsync("JST");
        var cookies = await context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == "tz" && Uri.UnescapeDataString(c.Value) == "Asia/Tokyo");
        await ScreenshotAsync(page, "webinar");
    }

    [Fact]
    public async Task WebinarPage_WithoutJavaScriptAndTzQuery_ServerRendersYourTime()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff), localStart: "2027-01-12T09:00:00"));
        var expected = TimeText.For(new LocalDateTime(2027, 1, 12, 9, 0).InZoneStrictly(NewYork).ToInstant(), Duration.FromMinutes(60), Tokyo);
        await using var context = await app.NewContextAsync(javaScript: false);
        var webinar = new WebinarPage(await context.NewPageAsync());

        await webinar.GotoAsync(slug, "?tz=Asia/Tokyo");

        await Expect(webinar.YourTime).ToHaveTextAsync($"{expected.Text} (Asia/Tokyo)");
        await Expect(webinar.Zones).ToContainTextAsync("Europe/Paris");
    }

    [Fact]
    public async Task StaffForm_DstGapThenFixedTime_SavesAnnouncesAndListsOnTopicPage()
    {
        var (email, password) = await app.CreateStaffAccountAsync();
        var gap = HostTime.Resolve(new LocalDateTime(2027, 3, 14, 2, 30), NewYork, null);
        Assert.NotNull(gap.Problem); // 2:30 AM does not exist in New York that day: clocks jump from 2:00 to 3:00
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var form = new StaffWebinarEditPage(page);
        var title = $"Trust at the Dateline {Guid.NewGuid():N}"[..30];

        // Signing in on the way to the form, then a topic of our own.
        await form.GotoNewAsync();
        await new StaffSignInPage(page).SignInAsync(email, password);
        await Landing.ExpectAsync(page, "**/staff/webinars/new");
        var topics = new StaffNewTopicPage(page);
        await topics.GotoAsync();
        var topicSlug = await topics.CreateAsync($"Dialogue {Guid.NewGuid():N}", "Rival powers, talking.");

        await form.GotoNewAsync();
        await form.FillAsync(topicSlug, title, "America/New_York", "2027-03-14T02:30", 60, "America/New_York, Europe/Paris");
        await form.AddSpeakerAsync(0, "Dr.", "Mark Meirowitz", "SUNY Maritime College", "Discussant");
        // While typing: explained once, next to the start, in the input's own format (not ISO), with the fix as a button.
        const string Gap = "2:30 AM on Mar 14, 2027 does not exist in America/New_York: clocks jump from 2:00 AM to 3:00 AM (EST → EDT).";
        await Expect(form.ClockChange).ToContainTextAsync(Gap);
        await form.SaveAsync();

        await Expect(form.ErrorSummary).ToBeFocusedAsync();
        await Expect(form.ErrorSummary).ToContainTextAsync("clock change");
        await Expect(form.ClockChange).ToContainTextAsync(Gap);
        Assert.Equal(1, await CountAsync(page, "does not exist"));
        await Expect(form.OffsetBox).Not.ToHaveAttributeAsync("open", "");
        await Expect(page.Locator("#f-localStart")).ToHaveAttributeAsync("aria-invalid", "true");

        await form.Fix("Use 3:00 AM").ClickAsync();
        await Expect(page.Locator("#f-localStart")).ToHaveValueAsync("2027-03-14T03:00");
        await Expect(form.ClockChange).ToBeEmptyAsync();
        await Expect(form.ErrorSummary).ToBeHiddenAsync(); // the only problem was the start, and it is fixed
        await Expect(page.Locator("#f-localStart")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await form.SetLocalStartAsync("2027-03-14T03:30");
        var fixedStart = new LocalDateTime(2027, 3, 14, 3, 30).InZoneStrictly(NewYork).ToInstant();
        await Expect(form.Preview).ToContainTextAsync(TimeText.For(fixedStart, Duration.FromMinutes(60), DateTimeZoneProviders.Tzdb["Europe/Paris"]).Text);
        await ScreenshotAsync(page, "staff-edit");
        await form.SaveAsync();
        await Landing.ExpectAsync(page, "**/edit");
        await Expect(form.Notice).ToContainTextAsync("saved as a draft");
        await form.AnnounceAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("is announced");

        var topicPage = new TopicPage(page);
        await topicPage.GotoAsync(topicSlug);
        await Expect(topicPage.Upcoming.Filter(new() { HasText = title })).ToHaveCountAsync(1);
        await Expect(topicPage.Upcoming.Filter(new() { HasText = title })).ToContainTextAsync("Dr. Mark Meirowitz");
        await Expect(topicPage.Subscribe).ToContainTextAsync("RSS · Atom · Calendar");
    }

    [Fact]
    public async Task StaffSignIn_WrongPassword_SaysSoAndStaysOut()
    {
        var (email, _) = await app.CreateStaffAccountAsync();
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/staff/signin");
        var signIn = new StaffSignInPage(page);
        await signIn.SignInAsync(email, "not the password at all");

        await Expect(signIn.Problem).ToHaveTextAsync("Email or password is wrong.");
        await page.GotoAsync("/staff");
        Assert.Contains("/staff/signin", page.Url, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StaffSignOut_AfterSignIn_EndsTheSession()
    {
        var (email, password) = await app.CreateStaffAccountAsync();
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/staff");
        await new StaffSignInPage(page).SignInAsync(email, password);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Webinars");
        await ScreenshotAsync(page, "staff");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Landing.ExpectAsync(page, app.BaseUrl + "/");
        await page.GotoAsync("/staff");

        Assert.Contains("/staff/signin", page.Url, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("home")]
    [InlineData("topic")]
    [InlineData("webinar")]
    [InlineData("result")]
    [InlineData("manage")]
    [InlineData("live")]
    public async Task PublicPage_PhoneViewport_HasNoHorizontalScroll(string kind)
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff, "Strategic Trust-Building and Very Long Topic Names That Wrap On Phones");
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic,
            "International Organizations and Conflict Resolution in the Time of COVID-19: Antidisestablishmentarianism", "2027-02-02T09:00:00"));
        await using var context = await app.NewContextAsync(width: 390, height: 844);
        var page = await context.NewPageAsync();

        if (kind is "result" or "manage" or "live")
        {
            // The attendee's pages: registered through the form, signed in with the emailed link.
            var link = await RegistrationInBrowserTests.RegisterThroughPageAsync(app, page, slug, RegistrationInBrowserTests.NewEmail("phone"));
            if (kind != "result") await page.GotoAsync(link);
            if (kind == "live") await page.GotoAsync($"/webinars/{slug}/live");
        }
        else
        {
            await page.GotoAsync(kind switch { "home" => "/", "topic" => $"/topics/{topic}", _ => $"/webinars/{slug}" });
        }

        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        var scrollWidth = await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"The {kind} page is {scrollWidth}px wide on a 390px screen.");
        await ScreenshotAsync(page, kind + "-phone");
    }

    [Fact]
    public async Task StaffWebinarForm_PhoneViewport_HasNoHorizontalScroll()
    {
        var (email, password) = await app.CreateStaffAccountAsync();
        await using var context = await app.NewContextAsync(width: 390, height: 844);
        var page = await context.NewPageAsync();
        await new StaffWebinarEditPage(page).GotoNewAsync();
        await new StaffSignInPage(page).SignInAsync(email, password);

        await Landing.ExpectAsync(page, "**/staff/webinars/new");

        var scrollWidth = await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"The staff form is {scrollWidth}px wide on a 390px screen.");
        await ScreenshotAsync(page, "staff-new-phone");
    }

    /// <summary>How many times <paramref name="text"/> shows on the page (what a reader sees, not the markup).</summary>
    internal static async Task<int> CountAsync(IPage page, string text)
    {
        var shown = await page.InnerTextAsync("body");
        return (shown.Length - shown.Replace(text, "", StringComparison.Ordinal).Length) / text.Length;
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (BrowserApp.ScreenshotFolder is not { } folder) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}
