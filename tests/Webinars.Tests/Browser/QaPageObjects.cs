using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Webinars.Tests.Browser;

/// <summary>What the three Q&amp;A pages share: the connection state and the questions listed by id.</summary>
public abstract class QaPage(IPage page)
{
    public IPage Page => page;
    public ILocator State => page.Locator("#qa-state");

    /// <summary>The question's item in this page's list (attribute match: ids are the server's, never markup).</summary>
    public abstract ILocator Question(string id);

    public async Task ExpectConnectedAsync() =>
        await Expect(State).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });

    /// <summary>
    /// Notes, in the page, the moment (Date.now()) an element matching <paramref name="selector"/> first appears; read it
    /// back with <see cref="SeenAtAsync"/>. Watching in the page itself keeps the test's polling out of the measurement.
    /// </summary>
    public async Task WatchForAsync(string selector) => await page.EvaluateAsync("""
        selector => {
          window.__seen = window.__seen || {};
          const check = () => {
            if (!window.__seen[selector] && document.querySelector(selector)) window.__seen[selector] = Date.now();
          };
          new MutationObserver(check).observe(document.body, { childList: true, subtree: true, attributes: true });
          check();
        }
        """, selector);

    public async Task<double?> SeenAtAsync(string selector) =>
        await page.EvaluateAsync<double?>("selector => (window.__seen || {})[selector] ?? null", selector);

    /// <summary>Date.now() in the page: the same machine clock the other pages use.</summary>
    public async Task<double> NowAsync() => await page.EvaluateAsync<double>("Date.now()");
}

/// <summary>/webinars/{slug}/live with the Q&amp;A: the ask box, the sort toggle and the questions.</summary>
public sealed class LiveQaPage(IPage page) : QaPage(page)
{
    public const string List = "#questions";
    public ILocator Text => Page.Locator("#ask-text");
    public ILocator Counter => Page.Locator("#ask-counter");
    public ILocator Anonymous => Page.Locator("#ask-anonymous");
    public ILocator Submit => Page.Locator("#ask-submit");
    public ILocator Feedback => Page.Locator("#ask-feedback");
    public ILocator Items => Page.Locator("#questions > li");

    public override ILocator Question(string id) => Page.Locator($"#questions > li[data-id='{id}']");

    public async Task GotoAsync(string slug) => await Page.GotoAsync($"/webinars/{slug}/live");

    /// <summary>Asks and returns the new question's id (the item marked as the attendee's own, with this text).</summary>
    public async Task<string> AskAsync(string text, bool anonymous = false)
    {
        await Text.FillAsync(text);
        await Anonymous.SetCheckedAsync(anonymous);
        await Submit.ClickAsync();
        await Expect(Feedback).ToContainTextAsync("Sent", new() { Timeout = 30_000 });
        var mine = Page.Locator("#questions > li").Filter(new() { Has = Page.Locator(".badge.mine") })
            .Filter(new() { Has = Page.Locator(".q-text", new() { HasTextString = text }) });
        await Expect(mine).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        return (await mine.GetAttributeAsync("data-id"))!;
    }
}

/// <summary>/webinars/{slug}/moderate.</summary>
public sealed class ModerateQaPage(IPage page) : QaPage(page)
{
    public const string List = "#mod-questions";
    public ILocator Feedback => Page.Locator("#mod-feedback");
    public ILocator Shortcuts => Page.Locator("#shortcuts");
    public ILocator Trail => Page.Locator("#trail");
    public ILocator Items => Page.Locator("#mod-questions > li");

    public override ILocator Question(string id) => Page.Locator($"#mod-questions > li[data-id='{id}']");

    public ILocator Filter(string status) => Page.Locator($"[data-filter='{status}']");

    public async Task GotoAsync(string slug) => await Page.GotoAsync($"/webinars/{slug}/moderate");

    /// <summary>Makes the question the selected one (a click on its text), so shortcuts act on it.</summary>
    public async Task SelectAsync(string id)
    {
        await Question(id).Locator(".q-text").ClickAsync();
        await Expect(Question(id)).ToHaveAttributeAsync("aria-selected", "true");
    }

    public async Task PressAsync(string key) => await Page.Keyboard.PressAsync(key);
}

/// <summary>/webinars/{slug}/present.</summary>
public sealed class PresentQaPage(IPage page) : QaPage(page)
{
    public const string List = "#present-queue";
    public ILocator Pinned => Page.Locator("#present-pinned");
    public ILocator Queue => Page.Locator("#present-queue > li");

    public override ILocator Question(string id) => Page.Locator($"#present [data-id='{id}']");

    public async Task GotoAsync(string slug) => await Page.GotoAsync($"/webinars/{slug}/present");
}
