using System.Net;
using System.Text.RegularExpressions;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;
using static Webinars.Tests.Registrations.Registering;

namespace Webinars.Tests.Registrations;

/// <summary>
/// The page after registering through the form, and a second registration with the same address: on both databases,
/// since a repeat is found by a different path on each (the one-statement insert on PostgreSQL).
/// </summary>
public abstract partial class ConfirmationPageTests(WebinarsApp app, RecordingNotifier notifier)
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("name=\"to\" value=\"([^\"]+)\"")]
    private static partial Regex AddressTicket();

    [Fact]
    public async Task Confirmation_NewRegistration_NamesTheMaskedAddressCalendarsAndSendAgain()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var email = $"jane-{Guid.NewGuid():N}@example.org";

        var (location, html) = await RegisterThroughFormAsync(slug, email);

        Assert.Contains("done=Confirmed", location, StringComparison.Ordinal);
        Assert.DoesNotContain(email, location, StringComparison.Ordinal);
        Assert.Contains("You're registered ✓", html, StringComparison.Ordinal);
        Assert.Contains("We sent your link to j•••@example.org.", html, StringComparison.Ordinal);
        Assert.DoesNotContain(email, html, StringComparison.Ordinal);
        Assert.Contains("https://calendar.google.com/calendar/render?action=TEMPLATE", html, StringComparison.Ordinal);
        Assert.Contains("dates=20270112T140000Z/20270112T150000Z", html, StringComparison.Ordinal);
        Assert.Contains("https://outlook.live.com/calendar/0/action/compose", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/webinars/{slug}.ics\"", html, StringComparison.Ordinal);
        Assert.Contains("send it again", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirmation_RepeatWhenFull_NeutralWordingAndTheFirstLinkKeepsWorking()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync(), b => b["capacity"] = 1); // waitlist on
        var email = $"jane-{Guid.NewGuid():N}@example.org";
        await RegisterThroughFormAsync(slug, email);
        var firstLink = notifier.LastToken(email);

        var (location, html) = await RegisterThroughFormAsync(slug, email);

        Assert.Contains("done=Sent", location, StringComparison.Ordinal);
        Assert.Contains("If this address can register, we've sent its link to j•••@example.org.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("waitlist", html, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(firstLink, notifier.LastToken(email));
        Assert.Equal(RegistrationStatus.Confirmed, Assert.Single(await RowsAsync(app, slug)).Status);
        Assert.Contains("Confirmed", await OpenLinkAsync(slug, firstLink), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAgain_FromTheConfirmation_SendsANewLinkAndTheFirstKeepsWorkingUntilItIsOpened()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var email = $"jane-{Guid.NewGuid():N}@example.org";
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var (_, html) = await RegisterThroughFormAsync(slug, email, client);
        var firstLink = notifier.LastToken(email);

        var again = await client.PostAsync($"/webinars/{slug}/register?handler=SendAgain", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["to"] = WebUtility.HtmlDecode(AddressTicket().Match(html).Groups[1].Value),
            ["__RequestVerificationToken"] = Antiforgery().Match(html).Groups[1].Value,
        }));

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var answer = WebUtility.HtmlDecode(await client.GetStringAsync(again.Headers.Location!.OriginalString));
        Assert.Contains("we've sent its link to j•••@example.org again", answer, StringComparison.Ordinal);
        var secondLink = notifier.LastToken(email);
        Assert.NotEqual(firstLink, secondLink);
        Assert.Equal(nameof(RecordingNotifier.LinkResent), notifier.To(email)[^1].Kind);
        Assert.Contains("Confirmed", await OpenLinkAsync(slug, firstLink), StringComparison.Ordinal);
        Assert.Contains("Confirmed", await OpenLinkAsync(slug, secondLink), StringComparison.Ordinal);
        Assert.Equal("", await OpenLinkAsync(slug, firstLink)); // replaced once the new link was opened
    }

    [Fact]
    public async Task SendAgain_TamperedAddress_SendsNothingAndShowsTheForm()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var form = await client.GetStringAsync($"/webinars/{slug}/register");
        var sent = notifier.Sent.Count;

        var again = await client.PostAsync($"/webinars/{slug}/register?handler=SendAgain", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["to"] = "not-a-protected-value",
            ["__RequestVerificationToken"] = Antiforgery().Match(form).Groups[1].Value,
        }));

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal($"/webinars/{slug}/register", again.Headers.Location!.OriginalString);
        Assert.Equal(sent, notifier.Sent.Count);
    }

    /// <summary>Posts the form on the register page; returns where it redirected and that page.</summary>
    private async Task<(string Location, string Html)> RegisterThroughFormAsync(string slug, string email, HttpClient? client = null)
    {
        client ??= app.CreateClient(new() { AllowAutoRedirect = false });
        var page = await client.GetStringAsync($"/webinars/{slug}/register");
        var response = await client.PostAsync($"/webinars/{slug}/register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "Jane Doe",
            ["Email"] = email,
            ["Organization"] = "",
            ["TimeZone"] = "Europe/Paris",
            ["Website"] = "",
            ["__RequestVerificationToken"] = Antiforgery().Match(page).Groups[1].Value,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        return (location, WebUtility.HtmlDecode(await client.GetStringAsync(location)));
    }

    /// <summary>Opens a magic link in a fresh client: the manage page it signs in to, or "" when the link did not work.</summary>
    private async Task<string> OpenLinkAsync(string slug, string token)
    {
        var client = app.CreateClient();
        var response = await client.GetAsync($"/r/{token}");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        if (response.RequestMessage!.RequestUri!.AbsolutePath != $"/webinars/{slug}/manage") return "";
        return html;
    }
}

public sealed class SqliteConfirmationPageTests(SqliteRegistrationsApp app)
    : ConfirmationPageTests(app, app.Notifier), IClassFixture<SqliteRegistrationsApp>;

public sealed class PostgresConfirmationPageTests(PostgresRegistrationsApp app)
    : ConfirmationPageTests(app, app.Notifier), IClassFixture<PostgresRegistrationsApp>;
