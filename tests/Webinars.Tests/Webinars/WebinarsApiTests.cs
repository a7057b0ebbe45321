using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Webinars;

/// <summary>The webinars API as a client sees it; runs once per database (see the subclasses at the end).</summary>
public abstract class WebinarsApiTests(WebinarsApp app)
{
    [Fact]
    public async Task Create_ValidBody_Returns201DraftWithDerivedInstant()
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);

        var response = await staff.PostAsJsonAsync("/api/webinars", TestData.WebinarBody(topic));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Draft", body.GetProperty("status").GetString());
        Assert.Equal("2027-01-12T14:00:00Z", body.GetProperty("startUtc").GetString());
        Assert.Equal("2027-01-12T15:00:00Z", body.GetProperty("endUtc").GetString());
        Assert.Equal("America/New_York", body.GetProperty("hostZone").GetString());
        Assert.Contains("<strong>frank</strong>", body.GetProperty("summaryHtml").GetString());
    }

    [Fact]
    public async Task Get_Draft_IsNotFoundForThePublic()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)), announce: false);

        var response = await app.CreateClient().GetAsync($"/api/webinars/{slug}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/webinars/{slug}")).StatusCode);
    }

    [Fact]
    public async Task Create_Anonymous_Returns401AndCreatesNothing()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/webinars", TestData.WebinarBody("any"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Create_Moderator_Returns403()
    {
        var moderator = await app.CreateClientWithRoleAsync("Moderator");

        var response = await moderator.PostAsJsonAsync("/api/webinars", TestData.WebinarBody("any"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

public sealed class SqliteWebinarsApiTests(SqliteApp app) : WebinarsApiTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresWebinarsApiTests(PostgresApp app) : WebinarsApiTests(app), IClassFixture<PostgresApp>;
