using System.Net;
using System.Net.Http.Json;
using System.Text;
using Webinars.Tests.Infrastructure;
using Webinars.Tests.Webinars;

namespace Webinars.Tests.Topics;

/// <summary>/api/topics on each database.</summary>
public abstract class TopicsApiTests(WebinarsApp app)
{
    [Fact]
    public async Task Create_ValidBody_Returns201WithSlugAndLocation()
    {
        var staff = await app.StaffClientAsync();
        var name = $"Cyber Norms {Guid.NewGuid():N}";

        var response = await staff.PostAsJsonAsync("/api/topics", new { name, description = "Rules for *states* online." });

        var topic = await WebinarsApiTests.ReadJsonAsync(response, HttpStatusCode.Created);
        var slug = topic.GetProperty("slug").GetString();
        Assert.Equal($"cyber-norms-{name[12..]}", slug);
        Assert.Equal($"/api/topics/{slug}", response.Headers.Location?.OriginalString);
        Assert.Equal(name, topic.GetProperty("name").GetString());
        Assert.Contains("<em>states</em>", topic.GetProperty("descriptionHtml").GetString());
        Assert.Equal($"/topics/{slug}/feed.rss", topic.GetProperty("feeds").GetProperty("rss").GetString());
    }

    [Fact]
    public async Task Get_ExistingTopic_ReturnsIt()
    {
        var staff = await app.StaffClientAsync();
        var slug = await TestData.CreateTopicAsync(staff, "Arms Control After New START");

        var topic = await WebinarsApiTests.ReadJsonAsync(await app.CreateClient().GetAsync($"/api/topics/{slug}"), HttpStatusCode.OK);

        Assert.Equal(slug, topic.GetProperty("slug").GetString());
        Assert.Equal("Arms Control After New START", topic.GetProperty("name").GetString());
        Assert.Equal("About trust.", topic.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Get_UnknownSlug_Returns404()
    {
        var response = await app.CreateClient().GetAsync("/api/topics/no-such-topic");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task List_Anonymous_ReturnsEveryTopicByName()
    {
        var staff = await app.StaffClientAsync();
        var zulu = await TestData.CreateTopicAsync(staff, $"Zulu {Guid.NewGuid():N}");
        var alpha = await TestData.CreateTopicAsync(staff, $"Alpha {Guid.NewGuid():N}");

        var list = await WebinarsApiTests.ReadJsonAsync(await app.CreateClient().GetAsync("/api/topics"), HttpStatusCode.OK);

        var slugs = list.EnumerateArray().Select(t => t.GetProperty("slug").GetString()).ToList();
        Assert.Contains(zulu, slugs);
        Assert.Contains(alpha, slugs);
        Assert.True(slugs.IndexOf(alpha) < slugs.IndexOf(zulu), string.Join(", ", slugs));
    }

    [Fact]
    public async Task Create_DuplicateName_GetsAUniqueSlug()
    {
        var staff = await app.StaffClientAsync();

        var first = await TestData.CreateTopicAsync(staff, "Space Security");
        var second = await TestData.CreateTopicAsync(staff, "Space Security");
        var third = await TestData.CreateTopicAsync(staff, "space security!");

        Assert.Equal("space-security", first);
        Assert.Equal("space-security-2", second);
        Assert.Equal("space-security-3", third);
    }

    [Fact]
    public async Task Create_SameNameAtOnce_EachGetsItsOwnSlug()
    {
        var staff = await app.StaffClientAsync();
        var name = $"Rush {Guid.NewGuid():N}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => staff.PostAsJsonAsync("/api/topics", new { name })));

        var slugs = new List<string>();
        foreach (var response in responses)
        {
            slugs.Add((await WebinarsApiTests.ReadJsonAsync(response, HttpStatusCode.Created)).GetProperty("slug").GetString()!);
        }

        Assert.Equal(16, slugs.Distinct().Count());
    }

    [Theory]
    [InlineData("{\"description\": \"No name\"}", "name")]
    [InlineData("{\"name\": \"   \"}", "name")]
    [InlineData("{\"name\": 42}", "name")]
    public async Task Create_MissingOrBadName_Returns400NamingName(string json, string field)
    {
        var staff = await app.StaffClientAsync();
        var before = await CountAsync();

        var response = await staff.PostAsync("/api/topics", new StringContent(json, Encoding.UTF8, "application/json"));

        await Problems.AssertFieldErrorAsync(response, field);
        Assert.Equal(before, await CountAsync());
    }

    [Theory]
    [InlineData(121, 10, "name")]
    [InlineData(10, 4001, "description")]
    public async Task Create_OverLongField_Returns400NamingIt(int nameLength, int descriptionLength, string field)
    {
        var staff = await app.StaffClientAsync();
        var before = await CountAsync();

        var response = await staff.PostAsJsonAsync("/api/topics", new { name = new string('n', nameLength), description = new string('d', descriptionLength) });

        Assert.Contains("too long", await Problems.AssertFieldErrorAsync(response, field));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Create_MalformedJson_Returns400()
    {
        var staff = await app.StaffClientAsync();

        var response = await staff.PostAsync("/api/topics", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Create_Anonymous_Returns401AndCreatesNothing()
    {
        var before = await CountAsync();

        var response = await app.CreateClient().PostAsJsonAsync("/api/topics", new { name = "Sneaky" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Create_Moderator_Returns403AndCreatesNothing()
    {
        var before = await CountAsync();

        var response = await (await app.ModeratorClientAsync()).PostAsJsonAsync("/api/topics", new { name = "Sneaky" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Update_NewName_ChangesItAndKeepsTheSlug()
    {
        var staff = await app.StaffClientAsync();
        var slug = await TestData.CreateTopicAsync(staff, $"Before {Guid.NewGuid():N}");

        var response = await staff.PutAsJsonAsync($"/api/topics/{slug}", new { name = "After", description = "Changed." });

        var topic = await WebinarsApiTests.ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(slug, topic.GetProperty("slug").GetString());
        Assert.Equal("After", topic.GetProperty("name").GetString());
        Assert.Equal("Changed.", (await WebinarsApiTests.ReadJsonAsync(await app.CreateClient().GetAsync($"/api/topics/{slug}"), HttpStatusCode.OK)).GetProperty("description").GetString());
    }

    [Fact]
    public async Task Update_BlankNameOrUnknownOrAnonymous_RefusedAndChangesNothing()
    {
        var staff = await app.StaffClientAsync();
        var slug = await TestData.CreateTopicAsync(staff, "Unchanged");

        await Problems.AssertFieldErrorAsync(await staff.PutAsJsonAsync($"/api/topics/{slug}", new { name = " " }), "name");
        Assert.Equal(HttpStatusCode.NotFound, (await staff.PutAsJsonAsync("/api/topics/no-such-topic", new { name = "X" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PutAsJsonAsync($"/api/topics/{slug}", new { name = "X" })).StatusCode);
        Assert.Equal("Unchanged", (await WebinarsApiTests.ReadJsonAsync(await app.CreateClient().GetAsync($"/api/topics/{slug}"), HttpStatusCode.OK)).GetProperty("name").GetString());
    }

    private async Task<int> CountAsync() =>
        (await WebinarsApiTests.ReadJsonAsync(await app.CreateClient().GetAsync("/api/topics"), HttpStatusCode.OK)).GetArrayLength();
}

public sealed class SqliteTopicsApiTests(SqliteApp app) : TopicsApiTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresTopicsApiTests(PostgresApp app) : TopicsApiTests(app), IClassFixture<PostgresApp>;
