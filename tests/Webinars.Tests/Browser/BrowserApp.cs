using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Webinars.Accounts;
using Webinars.Tests.Email;
using Webinars.Tests.Infrastructure;
using Webinars.Tests.Payments;

namespace Webinars.Tests.Browser;

/// <summary>
/// The app on a real loopback port (Kestrel) and one headless Debian Chromium for the whole browser collection.
/// Playwright's own browser download is never used: WEBINARS_TEST_CHROMIUM or /usr/bin/chromium.
/// Mail goes to a real SMTP server in the test process, sent by the app's own background dispatcher every second,
/// and links in it point at this app (Site:BaseUrl is the loopback address the app listens on).
/// </summary>
public sealed class BrowserApp : SqliteApp
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly int _port = SmtpSink.FreePort();
    private IPlaywright? _playwright;

    public BrowserApp()
    {
        UseKestrel(_port);
        Stripe = new FakeStripe { Now = () => Clock.GetCurrentInstant().ToUnixTimeSeconds() };
    }

    public SmtpSink Smtp { get; } = new();

    /// <summary>Stripe's API for paid webinars; its Checkout URLs are pages on this fake.</summary>
    public FakeStripe Stripe { get; }

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>(MailSettings.For(Smtp, background: true)) { ["Site:BaseUrl"] = $"http://127.0.0.1:{_port}" };
            foreach (var (key, value) in PaymentsHost.Settings(Stripe)) settings[key] = value;
            return settings;
        }
    }

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go when WEBINARS_TEST_SCREENSHOTS names a folder (for looking at the layout).</summary>
    public static string? ScreenshotFolder => Environment.GetEnvironmentVariable("WEBINARS_TEST_SCREENSHOTS") is { Length: > 0 } d ? d : null;

    public override async Task InitializeAsync()
    {
        await Smtp.StartAsync();
        await Stripe.StartAsync();
        await base.InitializeAsync();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');

        var chromium = Environment.GetEnvironmentVariable("WEBINARS_TEST_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"Chromium not found at {chromium}; install it (apt-get install chromium) or set WEBINARS_TEST_CHROMIUM.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumArgs });
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    /// <summary>
    /// A browser context of its own (cookies, zone, viewport) with the app as its base URL. Every page in it reports
    /// Content-Security-Policy violations to <see cref="CspViolations"/>.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(
        string timeZone = "America/New_York", int width = 1280, int height = 900, bool javaScript = true, string? storageState = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl,
            TimezoneId = timeZone,
            Locale = "en-US",
            ViewportSize = new() { Width = width, Height = height },
            JavaScriptEnabled = javaScript,
            StorageState = storageState, // cookies of a context signed in before (BrowserContext.StorageStateAsync)
        });
        await CspViolations.WatchAsync(context);
        return context;
    }

    /// <summary>An account with the Staff role made on the spot; returns what the sign-in form needs.</summary>
    public async Task<(string Email, string Password)> CreateStaffAccountAsync()
    {
        var email = $"staff-{Guid.NewGuid():N}@example.org";
        const string password = "correct horse battery staple";
        await using var scope = Services.CreateAsyncScope();
        var created = await UsersCommand.CreateAsync(scope.ServiceProvider, email, password, Roles.Staff);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        return (email, password);
    }
}

/// <summary>
/// The browser tests run alone, after every parallel collection has finished: a page waits for the app's answer, and
/// an app sharing two cores and this process with the registration rushes of other collections answered a sign-in
/// late enough to time a test out. Alone, a wait measures the app, not what else the suite was doing.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserFixtureGroup : ICollectionFixture<BrowserApp>
{
    public const string Name = "Browser";
}
