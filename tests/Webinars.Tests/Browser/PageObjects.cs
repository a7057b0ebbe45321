using Microsoft.Playwright;

namespace Webinars.Tests.Browser;

/// <summary>/webinars/{slug}: the announcement.</summary>
public sealed class WebinarPage(IPage page)
{
    public ILocator Title => page.Locator("h1");
    public ILocator YourTime => page.Locator(".when .your-time");
    public ILocator Zones => page.Locator(".when .zones");

    public async Task GotoAsync(string slug, string query = "") => await page.GotoAsync($"/webinars/{slug}{query}");
}

/// <summary>/topics/{slug}: a topic's upcoming and past webinars.</summary>
public sealed class TopicPage(IPage page)
{
    public ILocator Upcoming => page.Locator("section[aria-labelledby=upcoming] .item");
    public ILocator Subscribe => page.Locator(".subscribe");

    public async Task GotoAsync(string slug) => await page.GotoAsync($"/topics/{slug}");
}

/// <summary>/staff/signin.</summary>
public sealed class StaffSignInPage(IPage page)
{
    public ILocator Problem => page.Locator("#signin-problem");

    public async Task SignInAsync(string email, string password)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}

/// <summary>/staff/topics/new: it lands on /staff/topics?created={slug}.</summary>
public sealed class StaffNewTopicPage(IPage page)
{
    public async Task GotoAsync() => await page.GotoAsync("/staff/topics/new");

    /// <summary>Creates the topic and returns its slug (the form lands on the staff topic list, which names it).</summary>
    public async Task<string> CreateAsync(string name, string description)
    {
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Description").FillAsync(description);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create topic" }).ClickAsync();
        await Landing.ExpectAsync(page, "**/staff/topics?created=*");
        return page.Url[(page.Url.LastIndexOf('=') + 1)..];
    }
}

/// <summary>/staff/webinars/new and /staff/webinars/{slug}/edit: the same form.</summary>
public sealed class StaffWebinarEditPage(IPage page)
{
    public ILocator ErrorSummary => page.Locator("#error-summary");
    public ILocator LocalStartError => page.Locator("#f-localStart-error");
    public ILocator ClockChange => page.Locator("#f-localStart-change");
    public ILocator Offset => page.Locator("#f-offset");
    public ILocator OffsetBox => page.Locator("details.offset");
    public ILocator Preview => page.Locator("#preview");
    public ILocator Notice => page.Locator(".notice");

    public async Task GotoNewAsync() => await page.GotoAsync("/staff/webinars/new");

    public async Task FillAsync(string topicSlug, string title, string hostZone, string localStart, int minutes, string displayZones)
    {
        await page.GetByLabel("Topic").SelectOptionAsync(topicSlug);
        await page.GetByLabel("Title").FillAsync(title);
        await page.GetByLabel("Summary").FillAsync("Why **trust** between rivals is built in small steps.");
        await page.GetByLabel("Host time zone").FillAsync(hostZone);
        await SetLocalStartAsync(localStart);
        await page.GetByLabel("Duration (minutes)").FillAsync(minutes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Display time zones").FillAsync(displayZones);
        await page.GetByLabel("Capacity").FillAsync("150");
    }

    public async Task AddSpeakerAsync(int row, string honorific, string name, string affiliation, string role)
    {
        await page.Locator($"#f-speakers-{row}-honorific").FillAsync(honorific);
        await page.Locator($"#f-speakers-{row}-name").FillAsync(name);
        await page.Locator($"#f-speakers-{row}-affiliation").FillAsync(affiliation);
        await page.Locator($"#f-speakers-{row}-role").SelectOptionAsync(role);
    }

    /// <summary>Types into the datetime-local input, as "2027-03-14T02:30".</summary>
    public async Task SetLocalStartAsync(string localStart) => await page.Locator("#f-localStart").FillAsync(localStart);

    public async Task SaveAsync() => await page.Locator("#webinar-form button[type=submit]").ClickAsync();

    /// <summary>A fix offered next to the start ("Use 3:00 AM", "second 1:30 AM EST").</summary>
    public ILocator Fix(string label) => ClockChange.GetByRole(AriaRole.Button, new() { Name = label });

    public async Task AnnounceAsync() => await page.GetByRole(AriaRole.Button, new() { Name = "Announce" }).First.ClickAsync();
}

/// <summary>The registration form on /webinars/{slug} (it posts to /webinars/{slug}/register).</summary>
public sealed class RegistrationFormPart(IPage page)
{
    public ILocator Section => page.Locator("section.register");
    public ILocator Seats => page.Locator("section.register .seats");
    public ILocator Name => Section.Locator("input[name=Name]");
    public ILocator Email => Section.Locator("input[name=Email]");
    public ILocator Organisation => Section.GetByLabel("Organisation");
    public ILocator TimeZone => Section.GetByLabel("Your time zone");
    public ILocator Honeypot => page.Locator("section.register input[name=Website]");
    public ILocator Problem => page.Locator("section.register p.error[role=alert]");
    public ILocator FieldErrors => page.Locator("section.register span.error");

    public async Task FillAsync(string name, string email, string organisation)
    {
        await Name.FillAsync(name);
        await Email.FillAsync(email);
        await Organisation.FillAsync(organisation);
    }

    public async Task SubmitAsync() => await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
}

/// <summary>/webinars/{slug}/register?done=…: what happened after registering.</summary>
public sealed class RegistrationResultPage(IPage page)
{
    public ILocator Result => page.Locator("section.result");
}

/// <summary>/webinars/{slug}/manage: the attendee's own registration, reached through the emailed link.</summary>
public sealed class ManageRegistrationPage(IPage page)
{
    public ILocator Status => page.Locator(".facts dd.status");
    public ILocator YourTime => page.Locator(".when .your-time");
    public ILocator Zone => page.Locator(".facts dd.zone");
    public ILocator Notice => page.Locator("p.notice[role=status]");

    /// <summary>Clicks Cancel and accepts the "are you sure" dialog.</summary>
    public async Task CancelAsync()
    {
        page.Dialog += AcceptDialog;
        try
        {
            await FormPosts.ExpectRedirectAsync(
                page, () => page.GetByRole(AriaRole.Button, new() { Name = "Cancel my registration" }).ClickAsync(), "**/manage?notice=cancelled");
        }
        finally
        {
            page.Dialog -= AcceptDialog;
        }
    }

    private static void AcceptDialog(object? sender, IDialog dialog) => _ = dialog.AcceptAsync();
}

/// <summary>Form posts that must be answered with a redirect (post/redirect/get).</summary>
public static class FormPosts
{
    /// <summary>
    /// Submits, checks the server answered with a redirect, and waits until the browser shows the page it leads to (a URL
    /// matching <paramref name="landing"/>). If not, the failure shows what the server answered or where the browser is
    /// instead. It waits longer than the database's 30 s busy timeout, so a request stuck behind a lock shows as its answer.
    /// </summary>
    public static async Task ExpectRedirectAsync(IPage page, Func<Task> submit, string landing)
    {
        var unfinished = new System.Collections.Concurrent.ConcurrentDictionary<IRequest, string>();
        void Started(object? sender, IRequest r) => unfinished[r] = $"{r.Method} {r.Url}";
        void Ended(object? sender, IRequest r) => unfinished.TryRemove(r, out _);
        page.Request += Started;
        page.RequestFinished += Ended;
        page.RequestFailed += Ended;
        try
        {
            var response = await page.RunAndWaitForResponseAsync(submit, r => r.Request.Method == "POST", new() { Timeout = 60_000 });
            if (response.Status != 302) Assert.Fail($"{response.Url} was answered {response.Status}, not a redirect: {await MainTextAsync(page)}");
            try
            {
                await Landing.ExpectAsync(page, landing);
            }
            catch (PlaywrightException)
            {
                Assert.Fail($"{response.Url} redirected to {response.Headers.GetValueOrDefault("location")}; 60 s later the browser shows {page.Url}"
                    + $" (requests still open: {string.Join(", ", unfinished.Values)}): {await MainTextAsync(page)}");
            }
        }
        finally
        {
            page.Request -= Started;
            page.RequestFinished -= Ended;
            page.RequestFailed -= Ended;
        }
    }

    private static async Task<string> MainTextAsync(IPage page)
    {
        var text = await page.InnerTextAsync("main");
        return text[..Math.Min(text.Length, 600)];
    }
}
