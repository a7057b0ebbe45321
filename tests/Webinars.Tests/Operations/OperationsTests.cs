using System.Net;
using System.Text.Json;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Operations;

/// <summary>What an operator and an API client rely on besides the features: health, OpenAPI, headers.</summary>
public abstract class OperationsTests(WebinarsApp app)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_RunningAppWithDatabase_Returns200Healthy(string path)
    {
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_Document_IsJsonListingTheApi()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/webinars", paths);
        Assert.Contains("/api/webinars/{slug}", paths);
        Assert.Contains("/api/topics", paths);
        Assert.Contains("/api/auth/login", paths);
    }

    [Fact]
    public async Task ApiReference_Returns200Html()
    {
        var response = await app.CreateClient().GetAsync("/api/reference");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api/topics")]
    [InlineData("/health/live")]
    [InlineData("/api/webinars/no-such-webinar")]
    public async Task Responses_CarrySecurityHeaders(string path)
    {
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }
}

public sealed class SqliteOperationsTests(SqliteApp app) : OperationsTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresOperationsTests(PostgresApp app) : OperationsTests(app), IClassFixture<PostgresApp>;
