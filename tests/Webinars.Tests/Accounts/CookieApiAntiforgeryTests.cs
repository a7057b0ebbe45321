using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Webinars.Accounts;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Accounts;

/// <summary>
/// A state-changing API call signed in by the staff cookie needs the page's antiforgery header (a forged cross-site
/// form could otherwise announce or cancel); the same call with a bearer token does not.
/// </summary>
public abstract partial class CookieApiAntiforgeryTests(WebinarsApp app)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Announce_CookieWithoutAntiforgeryHeader_Returns400AndChangesNothing()
    {
        var (cookie, _) = await SignInWithCookieAsync();
        var slug = await DraftAsync();

        var response = await cookie.PostAsync($"/api/webinars/{slug}/announce", null);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(CookieApiAntiforgery.HeaderName, problem.GetProperty("detail").GetString());
        Assert.Equal("Draft", await StatusAsync(slug));
    }

    [Fact]
    public async Task Announce_CookieWithThePagesAntiforgeryHeader_Announces()
    {
        var (cookie, token) = await SignInWithCookieAsync();
        var slug = await DraftAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webinars/{slug}/announce");
        request.Headers.Add(CookieApiAntiforgery.HeaderName, token);
        var response = await cookie.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("Announced", await StatusAsync(slug));
    }

    [Fact]
    public async Task Announce_BearerTokenWithoutAntiforgeryHeader_Announces()
    {
        var slug = await DraftAsync();

        var response = await (await app.CreateStaffClientAsync()).PostAsync($"/api/webinars/{slug}/announce", null);

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Signs in through the page, as a browser does; returns the cookie client and a staff page's antiforgery token.</summary>
    private async Task<(HttpClient Client, string Token)> SignInWithCookieAsync()
    {
        var email = $"cookie-staff-{Guid.NewGuid():N}@example.org";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await UsersCommand.CreateAsync(scope.ServiceProvider, email, Password, Roles.Staff)).Succeeded);
        }

        var client = app.CreateClient();
        var form = await client.GetStringAsync("/staff/signin");
        var signedIn = await client.PostAsync("/staff/signin", new FormUrlEncodedContent(
        [
            new("Email", email), new("Password", Password), new("__RequestVerificationToken", TokenIn(form)),
        ]));
        Assert.Equal("/staff", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
        return (client, TokenIn(await signedIn.Content.ReadAsStringAsync()));
    }

    private async Task<string> DraftAsync()
    {
        var staff = await app.CreateStaffClientAsync();
        return await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)), announce: false);
    }

    private async Task<string?> StatusAsync(string slug)
    {
        var staff = await app.CreateStaffClientAsync();
        return (await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}")).GetProperty("status").GetString();
    }

    private static string TokenIn(string html)
    {
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, "No antiforgery token on the page");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

public sealed class SqliteCookieApiAntiforgeryTests(SqliteApp app) : CookieApiAntiforgeryTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresCookieApiAntiforgeryTests(PostgresApp app) : CookieApiAntiforgeryTests(app), IClassFixture<PostgresApp>;
