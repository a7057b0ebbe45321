using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Webinars.Accounts;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Pages;

/// <summary>Posting the staff pages' forms over HTTP as a browser would: a staff client, the antiforgery token, redirects.</summary>
public static partial class StaffForms
{
    /// <summary>
    /// A staff client that does not follow redirects by itself: the factory's redirect handler would drop the bearer
    /// header, so <see cref="PostAsync"/> follows them with the same client.
    /// </summary>
    public static async Task<HttpClient> CreateClientAsync(WebinarsApp app)
    {
        var email = $"staff-{Guid.NewGuid():N}@example.org";
        const string password = "correct horse battery";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await UsersCommand.CreateAsync(scope.ServiceProvider, email, password, Roles.Staff)).Succeeded);
        }

        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>GETs the form page for its antiforgery token (and cookie), posts the fields as the browser would, and
    /// follows a redirect; the response's RequestMessage tells where it landed.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string formPage, IEnumerable<KeyValuePair<string, string>> fields, string? action = null)
    {
        var page = await TextAsync(await client.GetAsync(formPage));
        var token = TokenPattern().Match(page);
        Assert.True(token.Success, $"No antiforgery token on {formPage}");
        var form = fields.Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)));
        var response = await client.PostAsync(action ?? formPage, new FormUrlEncodedContent(form));
        return response.StatusCode == HttpStatusCode.Redirect ? await client.GetAsync(response.Headers.Location) : response;
    }

    public static async Task<string> TextAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
