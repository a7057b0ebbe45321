using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Webinars.Tests.Publishing;
using static Microsoft.Playwright.Assertions;

namespace Webinars.Tests.Browser;

/// <summary>
/// After the webinar, in Chromium: staff publish the recording and recap through the page; a reader gets the click-to-load
/// player and the recap, and what users wrote stays text.
/// </summary>
[Collection(BrowserFixtureGroup.Name)]
public sealed class PublishingInBrowserTests(BrowserApp app)
{
    private const string VideoId = "dQw4w9WgXcQ";
    private static readonly LocatorAssertionsToContainTextOptions Long = new() { Timeout = 60_000 };

    [Fact]
    public async Task Staff_PasteDraftEditPublish_ReaderSeesFacadeThenEmbedAndRecap()
    {
        var seed = await PublishingFixture.CreateAsync(app);
        var publishPath = $"/staff/webinars/{seed.Slug}/publish";

        await using (var staffContext = await app.NewContextAsync())
        {
            var page = await staffContext.NewPageAsync();
            var (email, password) = await app.CreateStaffAccountAsync();
            await page.GotoAsync(publishPath);
            await Landing.ExpectAsync(page, "**/staff/signin**");
            await FormPosts.ExpectRedirectAsync(page, () => new StaffSignInPage(page).SignInAsync(email, password), "**" + publishPath);

            // The link as people share it: short host, tracking and start parameters.
            await page.GetByLabel("YouTube link").FillAsync($"https://youtu.be/{VideoId}?si=shared&t=42");
            await FormPosts.ExpectRedirectAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Save recording" }).ClickAsync(), "**" + publishPath);
            await Expect(page.Locator(".notice")).ToContainTextAsync($"https://www.youtube.com/watch?v={VideoId}", new() { Timeout = 60_000 });

            // "Draft from the webinar" answers with the page itself, the editor filled (nothing saved yet).
            await page.Locator("#draft-recap").ClickAsync();
            var editor = page.Locator("#markdown");
            await Expect(editor).ToHaveValueAsync(new Regex("^On Monday, December 7, 2020"), new() { Timeout = 60_000 });
            var draft = await editor.InputValueAsync();
            Assert.Contains("Will Track 2 diplomacy ever be conducted as before the pandemic?", draft);
            await ScriptsRanAsync(page);

            // The live preview follows the edit (rendered and sanitised by the server).
            await editor.FillAsync(draft + "\n\nEdited in the browser: **the panel agreed on small steps**.");
            await Expect(page.Locator("#recap-preview strong")).ToHaveTextAsync("the panel agreed on small steps", new() { Timeout = 60_000 });

            await FormPosts.ExpectRedirectAsync(page, () => page.Locator("#save-recap").ClickAsync(), "**" + publishPath);
            await Expect(page.Locator(".notice")).ToContainTextAsync("Recap saved (revision 1)", Long);
            await FormPosts.ExpectRedirectAsync(page, () => page.Locator("#publish").ClickAsync(), "**" + publishPath);
            await Expect(page.Locator(".notice")).ToContainTextAsync("Published", Long);
        }

        await using var readerContext = await app.NewContextAsync();
        var requests = new ConcurrentQueue<string>();
        readerContext.Request += (_, request) => requests.Enqueue(request.Url);
        var reader = await readerContext.NewPageAsync();
        await new WebinarPage(reader).GotoAsync(seed.Slug);
        var recap = reader.Locator("section.recap");
        await Expect(recap).ToContainTextAsync("Edited in the browser: the panel agreed on small steps.", Long);
        await Expect(recap).ToContainTextAsync("Will Track 2 diplomacy ever be conducted as before the pandemic?", Long);
        var facade = reader.Locator(".video-facade");
        await Expect(facade.Locator("a.video-start")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await ScriptsRanAsync(reader);

        // Loaded, and nothing asked of YouTube: no player, no thumbnail, no script.
        Assert.Equal(0, await reader.Locator("iframe").CountAsync());
        var toYouTube = requests.Where(FromYouTube).ToList();
        Assert.True(toYouTube.Count == 0, "Requests before the click: " + string.Join(", ", toYouTube));

        // The network is closed here, so the player's own load fails; what matters is what the page asked for.
        await facade.Locator("a.video-start").ClickAsync();
        await Expect(facade.Locator("iframe")).ToHaveAttributeAsync(
            "src", new Regex("^" + Regex.Escape($"https://www.youtube-nocookie.com/embed/{VideoId}")), new() { Timeout = 60_000 });
        Assert.Equal(1, await reader.Locator("iframe").CountAsync());
        Assert.Equal($"/webinars/{seed.Slug}", new Uri(reader.Url).AbsolutePath);
        var violations = CspViolations.In(readerContext);
        Assert.True(violations.Count == 0, "Content-Security-Policy violations:\n" + string.Join('\n', violations));
    }

    [Fact]
    public async Task PublishedPage_ScriptAndHtmlInRecapAndQuestions_StayInert()
    {
        const string questionPayload = "<img src=x id=injected-question onerror=\"window.__xss='question'\"><script>window.__xss='question-script'</script>";
        var seed = await PublishingFixture.CreateAsync(app, questionText: questionPayload);
        var staff = await app.CreateStaffClientAsync();
        Assert.True((await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recording", new { youtubeUrl = $"https://www.youtube.com/watch?v={VideoId}" })).IsSuccessStatusCode);
        var draft = (await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{seed.Slug}/recap/draft")).GetProperty("markdown").GetString()!;
        Assert.Contains("injected-question", draft); // the answered question, payload and all, is in the recap
        var markdown = draft + """


            Payloads follow.

            <script>window.__xss=1</script>

            <img src=x id=injected-img onerror="window.__xss=1">

            [click me](javascript:window.__xss=1)

            <svg onload="alert('svg')"><circle r="5"></circle></svg>

            <a href="javascript:alert('a')" id="injected-link">raw link</a>

            End of payloads.
            """;
        var saved = await staff.PutAsJsonAsync($"/api/webinars/{seed.Slug}/recap", new { markdown });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var published = await staff.PostAsync($"/api/webinars/{seed.Slug}/recap/publish", null);
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var dialogs = new ConcurrentQueue<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Enqueue(dialog.Message);
            _ = dialog.DismissAsync();
        };
        await new WebinarPage(page).GotoAsync(seed.Slug);
        var recap = page.Locator("section.recap");
        await Expect(recap).ToContainTextAsync("End of payloads.", Long);
        // Every image has failed and every script has run once the document is complete: an onerror would have fired.
        await ScriptsRanAsync(page);

        Assert.Empty(dialogs);
        Assert.True(await page.EvaluateAsync<bool>("typeof window.__xss === 'undefined'"));
        Assert.Equal(0, await recap.Locator("script").CountAsync());
        Assert.Equal(0, await recap.Locator("svg").CountAsync());
        Assert.Equal(0, await recap.Locator("img[onerror], [onerror], [onload]").CountAsync());
        Assert.Equal(0, await page.Locator("#injected-img, #injected-question").CountAsync());
        Assert.Equal(0, await recap.Locator("a[href*='javascript' i]").CountAsync());
        Assert.Equal(0, await page.Locator("main [onerror], main [onload], main a[href^='javascript' i]").CountAsync());
    }

    /// <summary>
    /// Waits, in the browser, until the current document has loaded: its scripts (publishing.js, video-facade.js) are
    /// attached before the test types or clicks, so an input event or a click is never taken by the bare page.
    /// </summary>
    private static async Task ScriptsRanAsync(IPage page) =>
        await page.WaitForFunctionAsync("document.readyState === 'complete'", null, new() { Timeout = 60_000 });

    private static bool FromYouTube(string url)
    {
        var host = new Uri(url).Host;
        return host.Contains("youtube", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith("ytimg.com", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith("googlevideo.com", StringComparison.OrdinalIgnoreCase);
    }
}
