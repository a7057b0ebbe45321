using System.Net;
using System.Text.RegularExpressions;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;
using static Webinars.Tests.Registrations.Registering;

namespace Webinars.Tests.Registrations;

/// <summary>The pages over HTTP (forms, antiforgery, cookies); SQLite only, the flow under them is tested on both.</summary>
public sealed partial class RegistrationPagesTests(SqliteRegistrationsApp app) : IClassFixture<SqliteRegistrationsApp>
{
    private static string NewEmail() => $"p-{Guid.NewGuid():N}@example.org";

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pageUrl, string action, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(pageUrl);
        fields["__RequestVerificationToken"] = Antiforgery().Match(page).Groups[1].Value;
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    private HttpClient NoRedirects() => app.CreateClient(new() { AllowAutoRedirect = false });

    [Fact]
    public async Task RegisterPage_ValidForm_RedirectsToTheResultAndStores()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var client = NoRedirects();
        var email = NewEmail();

        var response = await PostFormAsync(client, $"/webinars/{slug}/register", $"/webinars/{slug}/register",
            new() { ["Name"] = "Ada", ["Email"] = email, ["Organization"] = "", ["TimeZone"] = "Europe/Paris", ["Website"] = "" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var result = await client.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("Check your email: we sent your link", result, StringComparison.Ordinal);
        Assert.Equal("Europe/Paris", Assert.Single(await RowsAsync(app, slug)).TimeZoneId);
    }

    [Fact]
    public async Task RegisterPage_BadEmail_ShowsTheFieldErrorAndStoresNothing()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());

        var response = await PostFormAsync(NoRedirects(), $"/webinars/{slug}/register", $"/webinars/{slug}/register",
            new() { ["Name"] = "Ada <b>", ["Email"] = "nope", ["TimeZone"] = "Europe/Paris" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Email is not a valid address", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Ada &lt;b&gt;\"", html, StringComparison.Ordinal);
        Assert.Empty(await RowsAsync(app, slug));
    }

    [Fact]
    public async Task RegisterPage_HoneypotFilled_PretendsSuccessAndStoresNothing()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());

        var response = await PostFormAsync(NoRedirects(), $"/webinars/{slug}/register", $"/webinars/{slug}/register",
            new() { ["Name"] = "Bot", ["Email"] = NewEmail(), ["TimeZone"] = "Europe/Paris", ["Website"] = "http://spam.example" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("done=Confirmed", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Empty(await RowsAsync(app, slug));
    }

    [Fact]
    public async Task ManagePage_AfterTheMagicLink_ShowsMyRegistrationAndCancels()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var email = NewEmail();
        await RegisterOkAsync(app.CreateClient(), slug, Person(email, timeZone: "Asia/Tokyo"));
        var client = app.CreateClient(); // follows redirects and keeps cookies

        var manage = await client.GetAsync($"/r/{app.Notifier.LastToken(email)}");
        var html = await manage.Content.ReadAsStringAsync();

        Assert.Equal($"/webinars/{slug}/manage", manage.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains(email, html, StringComparison.Ordinal);
        Assert.Contains("Confirmed", html, StringComparison.Ordinal);
        Assert.Contains("Asia/Tokyo".Replace('_', ' '), html, StringComparison.Ordinal);
        Assert.Contains($"/webinars/{slug}.ics", html, StringComparison.Ordinal);

        var cancel = await PostFormAsync(client, $"/webinars/{slug}/manage", $"/webinars/{slug}/manage?handler=Cancel", []);
        Assert.Contains("Your registration is cancelled.", await cancel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(RegistrationStatus.Cancelled, Assert.Single(await RowsAsync(app, slug)).Status);
    }

    [Fact]
    public async Task ManagePage_WithoutCookie_OffersToSendTheLink()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());

        var html = await app.CreateClient().GetStringAsync($"/webinars/{slug}/manage");

        Assert.Contains("Send me my link", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LivePage_JoinLink_OnlyForConfirmedAndOnlyFromTheConfiguredTime()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync()); // starts 2027-01-12T14:00Z, join URL https://meet.example.org/trust
        var email = NewEmail();
        await RegisterOkAsync(app.CreateClient(), slug, Person(email, timeZone: "UTC"));
        var attendee = app.CreateClient();
        await attendee.GetAsync($"/r/{app.Notifier.LastToken(email)}");

        var early = await attendee.GetStringAsync($"/webinars/{slug}/live");
        var stranger = await app.CreateClient().GetStringAsync($"/webinars/{slug}/live");
        app.Clock.Reset(NodaTime.Instant.FromUtc(2027, 1, 12, 13, 45));
        try
        {
            var onTime = await attendee.GetStringAsync($"/webinars/{slug}/live");
            Assert.Contains("https://meet.example.org/trust", onTime, StringComparison.Ordinal);
        }
        finally
        {
            app.Clock.Reset(WebinarsApp.DefaultNow);
        }

        Assert.Contains("The join link appears here at", early, StringComparison.Ordinal);
        Assert.Contains("Tuesday, January 12, 2027, 1:45 PM UTC (UTC)", early, StringComparison.Ordinal);
        Assert.DoesNotContain("meet.example.org", early, StringComparison.Ordinal);
        Assert.Contains("Only confirmed attendees", stranger, StringComparison.Ordinal);
        Assert.DoesNotContain("meet.example.org", stranger, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LivePage_AttendeeZoneUnderAnOldName_ShowsTheAppsFormatWithTheCurrentName()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync()); // join link from 2027-01-12T13:45Z = 19:15 in India
        var email = NewEmail();
        await RegisterOkAsync(app.CreateClient(), slug, Person(email, timeZone: "Asia/Calcutta"));
        var attendee = app.CreateClient();
        await attendee.GetAsync($"/r/{app.Notifier.LastToken(email)}");

        var html = System.Net.WebUtility.HtmlDecode(await attendee.GetStringAsync($"/webinars/{slug}/live"));

        Assert.Contains("The join link appears here at", html, StringComparison.Ordinal);
        Assert.Contains("Tuesday, January 12, 2027, 7:15 PM IST (Asia/Kolkata)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Calcutta", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffRegistrantsPage_ListsCountsAndApprovesInBulk()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await WebinarAsync(staff, b => b["requiresApproval"] = true);
        var email = NewEmail();
        await RegisterOkAsync(app.CreateClient(), slug, Person(email, name: "<script>x</script>"));
        var id = Assert.Single(await RowsAsync(app, slug)).Id;

        var html = await staff.GetStringAsync($"/staff/webinars/{slug}/registrants");
        Assert.Contains("Awaiting approval: <strong>1</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>x</script>", html, StringComparison.Ordinal);
        Assert.Contains("format=csv", html, StringComparison.Ordinal);

        var staffNoRedirects = NoRedirects(); // HttpClient drops the Authorization header when it follows a redirect
        staffNoRedirects.DefaultRequestHeaders.Authorization = staff.DefaultRequestHeaders.Authorization;
        var approve = await PostFormAsync(staffNoRedirects, $"/staff/webinars/{slug}/registrants", $"/staff/webinars/{slug}/registrants?handler=Approve",
            new() { ["ids"] = id.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
        Assert.Contains("1 registration approved.", await staffNoRedirects.GetStringAsync(approve.Headers.Location!.OriginalString), StringComparison.Ordinal);
        Assert.Equal(RegistrationStatus.Confirmed, Assert.Single(await RowsAsync(app, slug)).Status);
        var anonymous = await NoRedirects().GetAsync($"/staff/webinars/{slug}/registrants");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/staff/signin", anonymous.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }
}
