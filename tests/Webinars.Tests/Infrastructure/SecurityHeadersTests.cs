using System.Text.RegularExpressions;
using Webinars.Infrastructure;

namespace Webinars.Tests.Infrastructure;

/// <summary>A strict Content-Security-Policy on every page, pages without inline script, and HSTS over HTTPS.</summary>
public abstract partial class SecurityHeadersTests(WebinarsApp app)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/staff/signin")]
    [InlineData("/registrations/link")]
    [InlineData("/api/topics")]
    public async Task Response_CarriesStrictContentSecurityPolicy(string path)
    {
        var response = await app.CreateClient().GetAsync(path);

        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(SecurityHeaders.PolicyWith(["https://checkout.stripe.com"]), policy);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_WebinarRegistrationAndManage_HaveNoInlineScriptOrHandlers()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));
        var client = app.CreateClient();

        foreach (var path in new[] { "/", $"/webinars/{slug}", $"/webinars/{slug}/manage", "/staff/signin", "/registrations/link", "/staff/webinars/new" })
        {
            // The "send my link" page answers 404 on purpose (unknown links land there); its HTML counts all the same.
            var response = await (path.StartsWith("/staff/webinars", StringComparison.Ordinal) ? staff : client).GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("</html>", html, StringComparison.Ordinal);
            Assert.DoesNotMatch(InlineScript(), html);
            Assert.DoesNotMatch(InlineHandler(), html);
        }
    }

    [Fact]
    public async Task Https_Response_CarriesHsts()
    {
        var response = await app.CreateClient(new() { BaseAddress = new Uri("https://webinars.example.org") }).GetAsync("/health/live");

        Assert.StartsWith("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainHttp_Response_HasNoHsts()
    {
        var response = await app.CreateClient(new() { BaseAddress = new Uri("http://webinars.example.org") }).GetAsync("/health/live");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<[^>]+\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();
}

public sealed class SqliteSecurityHeadersTests(SqliteApp app) : SecurityHeadersTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresSecurityHeadersTests(PostgresApp app) : SecurityHeadersTests(app), IClassFixture<PostgresApp>;
