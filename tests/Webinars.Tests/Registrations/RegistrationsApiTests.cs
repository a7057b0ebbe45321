using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;
using static Webinars.Tests.Registrations.Registering;

namespace Webinars.Tests.Registrations;

/// <summary>Registering and an attendee's own registration, as clients see them; runs once per database.</summary>
public abstract class RegistrationsApiTests(WebinarsApp app, RecordingNotifier notifier)
{
    private static string NewEmail() => $"a-{Guid.NewGuid():N}@example.org";

    [Fact]
    public async Task Register_NewEmail_Returns201ConfirmedWithoutTheToken()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var email = NewEmail();

        var response = await app.CreateClient().PostAsJsonAsync($"/api/webinars/{slug}/registrations", Person(email));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("Confirmed", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
        var sent = Assert.Single(notifier.To(email));
        Assert.Equal("Confirmed", sent.Kind);
        Assert.Equal(43, sent.Token!.Length);
        Assert.DoesNotContain(sent.Token, body, StringComparison.Ordinal);
        Assert.DoesNotContain(email, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_SameEmailOtherCaseAndSpaces_CreatesNothingAndResendsANewLink()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var email = NewEmail();
        var first = await RegisterOkAsync(app.CreateClient(), slug, Person(email));
        var oldToken = notifier.LastToken(email);

        var again = await RegisterOkAsync(app.CreateClient(), slug, Person($"  {email.ToUpperInvariant()} ", name: "Someone Else"));

        Assert.Equal(first.ToString(), again.ToString());
        Assert.Single(await RowsAsync(app, slug));
        Assert.Equal(["Confirmed", "LinkResent"], notifier.To(email).Select(m => m.Kind));
        var newToken = notifier.LastToken(email);
        Assert.NotEqual(oldToken, newToken);
        // Whoever typed the address signs nobody out: the old link works until the new one is opened.
        Assert.Equal(HttpStatusCode.OK, (await Attendee(app, oldToken).GetAsync("/api/registrations/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Attendee(app, newToken).GetAsync("/api/registrations/me")).StatusCode);
        Assert.Equal(1, await SeatsTakenAsync(app, slug));
    }

    [Theory]
    [InlineData("name", null)]
    [InlineData("name", "   ")]
    [InlineData("name", "LONG201")]
    [InlineData("email", null)]
    [InlineData("email", "not-an-email")]
    [InlineData("email", "Ada <ada@example.org>")]
    [InlineData("email", "ada@localhost")]
    [InlineData("email", "LONGEMAIL")]
    [InlineData("organization", "LONG201")]
    [InlineData("timeZone", null)]
    [InlineData("timeZone", "Mars/Olympus_Mons")]
    public async Task Register_BadField_Returns400NamingItAndCreatesNothing(string field, string? value)
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var body = new Dictionary<string, object?> { ["name"] = "Ada", ["email"] = NewEmail(), ["organization"] = "", ["timeZone"] = "Asia/Tokyo" };
        body[field] = value switch
        {
            "LONG201" => new string('x', 201),
            "LONGEMAIL" => new string('a', 250) + "@example.org",
            _ => value,
        };

        var response = await app.CreateClient().PostAsJsonAsync($"/api/webinars/{slug}/registrations", body);

        await Problems.AssertFieldErrorAsync(response, field);
        Assert.Empty(await RowsAsync(app, slug));
        Assert.Equal(0, await SeatsTakenAsync(app, slug));
    }

    [Fact]
    public async Task Register_MalformedJson_Returns400()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());

        var response = await app.CreateClient().PostAsync($"/api/webinars/{slug}/registrations",
            new StringContent("{\"name\": 5", Encoding.UTF8, "application/json"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Register_WindowClosedNotOpenOrCancelled_Returns409WithAReason()
    {
        var staff = await app.CreateStaffClientAsync();
        var closed = await WebinarAsync(staff, b => b["registrationClosesAt"] = "2026-11-28T12:00:00Z");
        var notYet = await WebinarAsync(staff, b => b["registrationOpensAt"] = "2026-12-01T12:00:00Z");
        var cancelled = await WebinarAsync(staff);
        (await staff.PostAsync($"/api/webinars/{cancelled}/cancel", null)).EnsureSuccessStatusCode();
        var client = app.CreateClient();

        async Task<string> DetailAsync(string slug) =>
            (await Problems.AssertProblemAsync(await client.PostAsJsonAsync($"/api/webinars/{slug}/registrations", Person(NewEmail())), HttpStatusCode.Conflict))
            .GetProperty("detail").GetString()!;

        Assert.Contains("closed", await DetailAsync(closed), StringComparison.Ordinal);
        Assert.Contains("opens", await DetailAsync(notYet), StringComparison.Ordinal);
        Assert.Contains("cancelled", await DetailAsync(cancelled), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_RightAfterStaffCancelOrCloseTheWebinar_IsRefusedAndSavesNothing()
    {
        // The first registration lets the app keep what it read of the webinar (PostgreSQL keeps it a moment); the
        // change right after must still be seen by the next registration.
        var staff = await app.CreateStaffClientAsync();
        var cancelled = await WebinarAsync(staff);
        var closed = await WebinarAsync(staff);
        var client = app.CreateClient();
        await RegisterOkAsync(client, cancelled, Person(NewEmail()));
        await RegisterOkAsync(client, closed, Person(NewEmail()));

        (await staff.PostAsync($"/api/webinars/{cancelled}/cancel", null)).EnsureSuccessStatusCode();
        var webinar = await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{closed}");
        var body = TestData.WebinarBody(webinar.GetProperty("topic").GetProperty("slug").GetString()!, webinar.GetProperty("title").GetString()!);
        body["registrationClosesAt"] = "2026-11-29T11:00:00Z";
        (await staff.PutAsJsonAsync($"/api/webinars/{closed}", body)).EnsureSuccessStatusCode();

        foreach (var (slug, reason) in new[] { (cancelled, "cancelled"), (closed, "closed") })
        {
            var late = NewEmail();
            var problem = await Problems.AssertProblemAsync(await client.PostAsJsonAsync($"/api/webinars/{slug}/registrations", Person(late)), HttpStatusCode.Conflict);
            Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(await RowsAsync(app, slug), r => r.Email == late);
        }
    }

    [Fact]
    public async Task Register_Draft_Returns404()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync(), announce: false);

        var response = await app.CreateClient().PostAsJsonAsync($"/api/webinars/{slug}/registrations", Person(NewEmail()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Register_FullWithoutWaitlist_Returns409()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync(), b => (b["capacity"], b["waitlist"]) = (1, false));
        await RegisterOkAsync(app.CreateClient(), slug, Person(NewEmail()));

        var response = await app.CreateClient().PostAsJsonAsync($"/api/webinars/{slug}/registrations", Person(NewEmail()));

        Assert.Equal("The webinar is full.", (await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict)).GetProperty("detail").GetString());
        Assert.Single(await RowsAsync(app, slug));
    }

    [Fact]
    public async Task Me_WithTokenOfA_ShowsOnlyAAndCancelsOnlyA()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var (a, b) = (NewEmail(), NewEmail());
        await RegisterOkAsync(app.CreateClient(), slug, Person(a, timeZone: "Asia/Tokyo"));
        await RegisterOkAsync(app.CreateClient(), slug, Person(b));
        var clientA = Attendee(app, notifier.LastToken(a));

        var me = await clientA.GetFromJsonAsync<JsonElement>("/api/registrations/me");
        var cancel = await clientA.DeleteAsync("/api/registrations/me");

        Assert.Equal(a, me.GetProperty("email").GetString());
        Assert.Equal("Asia/Tokyo", me.GetProperty("webinar").GetProperty("viewerTime").GetProperty("zone").GetString());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("webinar").GetProperty("joinUrl").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        var rows = await RowsAsync(app, slug);
        Assert.Equal(RegistrationStatus.Cancelled, rows.Single(r => r.Email == a).Status);
        Assert.Equal(RegistrationStatus.Confirmed, rows.Single(r => r.Email == b).Status);
        Assert.Equal(b, (await Attendee(app, notifier.LastToken(b)).GetFromJsonAsync<JsonElement>("/api/registrations/me")).GetProperty("email").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not a token!")]
    public async Task Me_WithoutAValidToken_Returns401(string? token)
    {
        var client = token is null ? app.CreateClient() : Attendee(app, token);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/registrations/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.DeleteAsync("/api/registrations/me")).StatusCode);
    }

    [Fact]
    public async Task Cancel_Confirmed_PromotesTheEarliestWaitlistedAndTellsThem()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync(), b => b["capacity"] = 1);
        var (seated, first, second) = (NewEmail(), NewEmail(), NewEmail());
        await RegisterOkAsync(app.CreateClient(), slug, Person(seated));
        app.Clock.AdvanceSeconds(1);
        Assert.Equal("Waitlisted", (await RegisterOkAsync(app.CreateClient(), slug, Person(first))).GetProperty("status").GetString());
        app.Clock.AdvanceSeconds(1);
        await RegisterOkAsync(app.CreateClient(), slug, Person(second));
        var seatedClient = Attendee(app, notifier.LastToken(seated));

        Assert.Equal(HttpStatusCode.NoContent, (await seatedClient.DeleteAsync("/api/registrations/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await seatedClient.DeleteAsync("/api/registrations/me")).StatusCode); // idempotent

        var rows = await RowsAsync(app, slug);
        Assert.Equal(RegistrationStatus.Confirmed, rows.Single(r => r.Email == first).Status);
        Assert.Equal(RegistrationStatus.Waitlisted, rows.Single(r => r.Email == second).Status);
        Assert.Equal(["Waitlisted", "Promoted"], notifier.To(first).Select(m => m.Kind));
        Assert.Equal(["Confirmed", "Cancelled"], notifier.To(seated).Select(m => m.Kind));
        Assert.Equal(1, await SeatsTakenAsync(app, slug));
        var promoted = await Attendee(app, notifier.LastToken(first)).GetFromJsonAsync<JsonElement>("/api/registrations/me");
        Assert.Equal("Confirmed", promoted.GetProperty("status").GetString());
    }

    [Fact]
    public async Task RaiseCapacity_Waitlisted_MoveUpInArrivalOrderAndAreTold()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await WebinarAsync(staff, b => b["capacity"] = 1);
        var (seated, first, second, third) = (NewEmail(), NewEmail(), NewEmail(), NewEmail());
        foreach (var email in new[] { seated, first, second, third })
        {
            await RegisterOkAsync(app.CreateClient(), slug, Person(email));
            app.Clock.AdvanceSeconds(1);
        }

        var webinar = await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}");
        var body = TestData.WebinarBody(webinar.GetProperty("topic").GetProperty("slug").GetString()!, webinar.GetProperty("title").GetString()!);
        body["capacity"] = 3;
        var update = await staff.PutAsJsonAsync($"/api/webinars/{slug}", body);

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var rows = await RowsAsync(app, slug);
        Assert.Equal(RegistrationStatus.Confirmed, rows.Single(r => r.Email == first).Status);
        Assert.Equal(RegistrationStatus.Confirmed, rows.Single(r => r.Email == second).Status);
        Assert.Equal(RegistrationStatus.Waitlisted, rows.Single(r => r.Email == third).Status);
        Assert.Equal(["Waitlisted", "Promoted"], notifier.To(first).Select(m => m.Kind));
        Assert.Equal(["Waitlisted"], notifier.To(third).Select(m => m.Kind));
        Assert.Equal(3, await SeatsTakenAsync(app, slug));
    }

    [Fact]
    public async Task SendLink_AlwaysAccepted_RotatesOnlyForARegisteredEmail()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var (known, unknown) = (NewEmail(), NewEmail());
        await RegisterOkAsync(app.CreateClient(), slug, Person(known));

        var forKnown = await app.CreateClient().PostAsJsonAsync($"/api/webinars/{slug}/registrations/send-link", new { email = known.ToUpperInvariant() });
        var forUnknown = await app.CreateClient().PostAsJsonAsync($"/api/webinars/{slug}/registrations/send-link", new { email = unknown });

        Assert.Equal(HttpStatusCode.Accepted, forKnown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, forUnknown.StatusCode);
        Assert.Equal(["Confirmed", "LinkResent"], notifier.To(known).Select(m => m.Kind));
        Assert.Empty(notifier.To(unknown));
        await Problems.AssertFieldErrorAsync(
            await app.CreateClient().PostAsJsonAsync($"/api/webinars/{slug}/registrations/send-link", new { email = "nope" }), "email");
    }

    [Fact]
    public async Task MagicLink_ValidToken_SetsCookieAndRedirectsToTheCleanManageUrl()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var email = NewEmail();
        await RegisterOkAsync(app.CreateClient(), slug, Person(email));
        var token = notifier.LastToken(email);
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync($"/r/{token}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/webinars/{slug}/manage", response.Headers.Location!.OriginalString);
        Assert.DoesNotContain(token, response.Headers.Location.OriginalString, StringComparison.Ordinal);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("webinars.att.", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, cookie, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task MagicLink_UnknownToken_RedirectsToRequestANewLinkWithoutACookie()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/registrations/link", response.Headers.Location!.OriginalString);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Register_ACancelledEmailAgain_ComesBackAsANewArrivalInTheSameRow()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var email = NewEmail();
        await RegisterOkAsync(app.CreateClient(), slug, Person(email));
        await Attendee(app, notifier.LastToken(email)).DeleteAsync("/api/registrations/me");

        var again = await RegisterOkAsync(app.CreateClient(), slug, Person(email));

        Assert.Equal("Confirmed", again.GetProperty("status").GetString());
        Assert.Equal(RegistrationStatus.Confirmed, Assert.Single(await RowsAsync(app, slug)).Status);
        Assert.Equal(1, await SeatsTakenAsync(app, slug));
    }

    [Fact]
    public async Task AuditTrail_AfterStaffActions_HasOneEntryEach()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await WebinarAsync(staff);
        var email = NewEmail();
        await RegisterOkAsync(app.CreateClient(), slug, Person(email));
        var id = (await RowsAsync(app, slug)).Single().Id;

        Assert.Equal(HttpStatusCode.Accepted, (await staff.PostAsync($"/api/webinars/{slug}/registrations/{id}/resend-link", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await staff.PostAsync($"/api/webinars/{slug}/registrations/{id}/cancel", null)).StatusCode);

        List<string> actions = [];
        await app.WithDbAsync(async db => actions = await db.AuditEntries.Where(a => a.Subject == id.ToString()).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal(["registration.resend-link", "registration.cancel"], actions);
        Assert.Equal(["Confirmed", "LinkResent", "Cancelled"], notifier.To(email).Select(m => m.Kind));
    }
}

public sealed class SqliteRegistrationsApiTests(SqliteRegistrationsApp app)
    : RegistrationsApiTests(app, app.Notifier), IClassFixture<SqliteRegistrationsApp>;

public sealed class PostgresRegistrationsApiTests(PostgresRegistrationsApp app)
    : RegistrationsApiTests(app, app.Notifier), IClassFixture<PostgresRegistrationsApp>;
