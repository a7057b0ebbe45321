using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Tests.Infrastructure;
using static Webinars.Tests.Registrations.Registering;

namespace Webinars.Tests.Registrations;

/// <summary>
/// Magic links: "send my link again" replaces a link only once the new one is opened (so asking for someone else's
/// link signs nobody out), and links stop working a grace period after their webinar's end.
/// </summary>
public abstract class AccessLinksTests(WebinarsApp app, RecordingNotifier notifier)
{
    private const int GraceDays = 30; // Registrations:LinkGraceDays by default

    [Fact]
    public async Task SendLink_NewLinkOpened_RetiresTheOldOneOnlyThen()
    {
        var (slug, email) = await RegisteredAsync();
        var oldToken = notifier.LastToken(email);

        await SendLinkAsync(slug, email);
        var newToken = notifier.LastToken(email);
        Assert.NotEqual(oldToken, newToken);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(oldToken));

        Assert.Equal($"/webinars/{slug}/manage", await OpenAsync(NoRedirects(), newToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(oldToken));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(newToken));
        Assert.Equal("/registrations/link", await OpenAsync(NoRedirects(), oldToken));
    }

    [Fact]
    public async Task SendLink_AskedBySomeoneElse_LeavesTheAttendeeSignedIn()
    {
        var (slug, email) = await RegisteredAsync();
        var attendee = NoRedirects();
        Assert.Equal($"/webinars/{slug}/manage", await OpenAsync(attendee, notifier.LastToken(email)));

        await SendLinkAsync(slug, email);

        var manage = await attendee.GetStringAsync($"/webinars/{slug}/manage");
        Assert.Contains("Cancel my registration", manage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MagicLink_AfterTheWebinarsEndPlusGrace_LeadsToSendMyLinkAgain()
    {
        var (slug, email) = await RegisteredAsync();
        var token = notifier.LastToken(email);
        var attendee = NoRedirects();
        Assert.Equal($"/webinars/{slug}/manage", await OpenAsync(attendee, token));
        var endsAt = Instant.MinValue;
        await app.WithDbAsync(async db => endsAt = await db.Webinars.Where(w => w.Slug == slug).Select(w => w.EndsAt).SingleAsync());

        try
        {
            app.Clock.Reset(endsAt + Duration.FromDays(GraceDays) - Duration.FromMinutes(1));
            Assert.Equal($"/webinars/{slug}/manage", await OpenAsync(NoRedirects(), token));

            app.Clock.Reset(endsAt + Duration.FromDays(GraceDays) + Duration.FromMinutes(1));
            Assert.Equal("/registrations/link?expired=true", await OpenAsync(NoRedirects(), token));
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(token));
            var page = await attendee.GetAsync("/registrations/link?expired=true");
            Assert.Contains("This link has expired", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.DoesNotContain("Cancel my registration", await attendee.GetStringAsync($"/webinars/{slug}/manage"), StringComparison.Ordinal);
        }
        finally
        {
            app.Clock.Reset(WebinarsApp.DefaultNow);
        }
    }

    private async Task<(string Slug, string Email)> RegisteredAsync()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var email = $"link-{Guid.NewGuid():N}@example.org";
        await RegisterOkAsync(app.CreateClient(), slug, Person(email));
        return (slug, email);
    }

    private async Task SendLinkAsync(string slug, string email) =>
        Assert.Equal(HttpStatusCode.Accepted, (await app.CreateClient().PostAsJsonAsync($"/api/webinars/{slug}/registrations/send-link", new { email })).StatusCode);

    private HttpClient NoRedirects() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Opens /r/{token} with the client (keeping its cookies); returns where it was sent.</summary>
    private static async Task<string> OpenAsync(HttpClient client, string token)
    {
        var response = await client.GetAsync($"/r/{token}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    private async Task<HttpStatusCode> MeAsync(string token) => (await Attendee(app, token).GetAsync("/api/registrations/me")).StatusCode;
}

public sealed class SqliteAccessLinksTests(SqliteRegistrationsApp app) : AccessLinksTests(app, app.Notifier), IClassFixture<SqliteRegistrationsApp>;

public sealed class PostgresAccessLinksTests(PostgresRegistrationsApp app) : AccessLinksTests(app, app.Notifier), IClassFixture<PostgresRegistrationsApp>;
