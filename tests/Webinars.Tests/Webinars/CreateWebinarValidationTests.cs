using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Webinars;

/// <summary>
/// Every bad input to POST /api/webinars: a 400 ProblemDetails naming the field, and nothing created. Also the
/// DST rules: a local start in a gap, or in an overlap without an offset, is refused with the valid choices.
/// </summary>
public abstract class CreateWebinarValidationTests(WebinarsApp app)
{
    /// <summary>Field to change in a valid body, its new JSON value (null: leave the field out), the field the error names.</summary>
    public static TheoryData<string, string?, string> BadInputs => new()
    {
        { "title", null, "title" },
        { "title", "\"   \"", "title" },
        { "title", $"\"{new string('t', 201)}\"", "title" },
        { "summary", $"\"{new string('s', 20_001)}\"", "summary" },
        { "topic", "\"no-such-topic\"", "topic" },
        { "topic", null, "topic" },
        { "hostZone", "\"Mars/Olympus_Mons\"", "hostZone" },
        { "hostZone", null, "hostZone" },
        { "displayZones", "[\"Europe/Paris\", \"Atlantis/Capital\"]", "displayZones[1]" },
        { "localStart", "\"12 January 2027, 9am\"", "localStart" },
        { "localStart", "\"2027-01-12T09:00:00Z\"", "localStart" },
        { "localStart", null, "localStart" },
        { "localStart", "\"9999-12-31T23:30:00\"", "localStart" },
        { "localStart", "\"0001-01-01T00:00:00\"", "localStart" },
        { "offset", "\"EST\"", "offset" },
        { "durationMinutes", "0", "durationMinutes" },
        { "durationMinutes", "-30", "durationMinutes" },
        { "durationMinutes", null, "durationMinutes" },
        { "durationMinutes", "\"sixty\"", "durationMinutes" },
        { "capacity", "0", "capacity" },
        { "price", "{\"amount\": 2500, \"currency\": \"DOLLARS\"}", "price.currency" },
        { "price", "{\"amount\": 0, \"currency\": \"USD\"}", "price.amount" },
        { "speakers", "[{\"name\": \"\", \"role\": \"Speaker\"}]", "speakers[0].name" },
        { "speakers", "[{\"name\": \"Ada\", \"role\": \"Keynote\"}]", "speakers[0].role" },
        { "speakers", "[null]", "speakers[0]" },
        { "joinUrl", "\"javascript:alert(1)\"", "joinUrl" },
        { "joinUrl", "\"meet.example.org/no-scheme\"", "joinUrl" },
        { "registrationClosesAt", "\"next week\"", "registrationClosesAt" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Create_BadField_Returns400NamingItAndCreatesNothing(string property, string? json, string field)
    {
        var staff = await app.StaffClientAsync();
        var body = await ValidBodyAsync(staff);
        if (json is null) body.Remove(property);
        else body[property] = JsonNode.Parse(json);
        var before = await CountAsync(staff);

        var response = await PostAsync(staff, body.ToJsonString());

        var messages = await Problems.AssertFieldErrorAsync(response, field);
        Assert.False(string.IsNullOrWhiteSpace(messages));
        Assert.Equal(before, await CountAsync(staff));
    }

    [Theory]
    [InlineData("{\"title\": ")]
    [InlineData("{\"title\": \"Unclosed}")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("\"a string\"")]
    public async Task Create_MalformedJson_Returns400AndCreatesNothing(string text)
    {
        var staff = await app.StaffClientAsync();
        var before = await CountAsync(staff);

        var response = await PostAsync(staff, text);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await CountAsync(staff));
    }

    [Fact]
    public async Task Create_LocalStartInDstGap_Returns400WithAlternatives()
    {
        var staff = await app.StaffClientAsync();
        var body = await ValidBodyAsync(staff);
        body["localStart"] = "2027-03-14T02:30:00"; // New York springs forward from 02:00 to 03:00
        var before = await CountAsync(staff);

        var response = await PostAsync(staff, body.ToJsonString());

        await Problems.AssertFieldErrorAsync(response, "localStart");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.TryGetProperty("alternatives", out var alternatives), problem.ToString());
        Assert.Equal(JsonValueKind.Array, alternatives.ValueKind);
        Assert.NotEqual(0, alternatives.GetArrayLength());
        Assert.Equal(before, await CountAsync(staff));
    }

    [Fact]
    public async Task Create_LocalStartInDstOverlapWithoutOffset_Returns400ListingBothOffsets()
    {
        var staff = await app.StaffClientAsync();
        var body = await ValidBodyAsync(staff);
        body["localStart"] = "2027-11-07T01:30:00"; // New York falls back from 02:00 EDT to 01:00 EST
        var before = await CountAsync(staff);

        var response = await PostAsync(staff, body.ToJsonString());

        await Problems.AssertFieldErrorAsync(response, "localStart");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.TryGetProperty("alternatives", out var alternatives), problem.ToString());
        var choices = string.Join(" | ", alternatives.EnumerateArray().Select(a => a.ToString()));
        Assert.Contains("-04:00", choices);
        Assert.Contains("-05:00", choices);
        Assert.Equal(before, await CountAsync(staff));
    }

    [Theory]
    [InlineData("-05:00", "2027-11-07T06:30:00Z")]
    [InlineData("-04:00", "2027-11-07T05:30:00Z")]
    public async Task Create_LocalStartInDstOverlapWithOffset_ResolvesAsAsked(string offset, string expectedUtc)
    {
        var staff = await app.StaffClientAsync();
        var body = await ValidBodyAsync(staff);
        body["localStart"] = "2027-11-07T01:30:00";
        body["offset"] = offset;

        var webinar = await WebinarsApiTests.ReadJsonAsync(await PostAsync(staff, body.ToJsonString()), HttpStatusCode.Created);

        Assert.Equal(expectedUtc, webinar.GetProperty("startUtc").GetString());
        Assert.Equal(offset, webinar.GetProperty("offset").GetString());
        Assert.Equal("2027-11-07T01:30:00", webinar.GetProperty("localStart").GetString());
    }

    [Theory]
    [InlineData("2027-01-12T09:00:00", "-04:00")] // New York is on EST (-05:00) in January
    [InlineData("2027-11-07T01:30:00", "-06:00")] // the overlap is at -04:00 and -05:00 only
    public async Task Create_OffsetThatDoesNotApply_Returns400NamingOffsetWithTheValidOnes(string localStart, string offset)
    {
        var staff = await app.StaffClientAsync();
        var body = await ValidBodyAsync(staff);
        body["localStart"] = localStart;
        body["offset"] = offset;
        var before = await CountAsync(staff);

        var response = await PostAsync(staff, body.ToJsonString());

        Assert.Contains(offset, await Problems.AssertFieldErrorAsync(response, "offset"));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("-05:00", string.Join(" ", problem.GetProperty("alternatives").EnumerateArray().Select(a => a.GetString())));
        Assert.Equal(before, await CountAsync(staff));
    }

    [Fact]
    public async Task Create_SeveralBadFields_NamesEveryOne()
    {
        var staff = await app.StaffClientAsync();
        var body = await ValidBodyAsync(staff);
        body.Remove("title");
        body["hostZone"] = "Nowhere/Special";
        body["capacity"] = -1;

        var response = await PostAsync(staff, body.ToJsonString());

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains("title", fields);
        Assert.Contains("hostZone", fields);
        Assert.Contains("capacity", fields);
    }

    [Fact]
    public async Task Create_LowerCaseCurrency_IsNormalisedToUpperCase()
    {
        var staff = await app.StaffClientAsync();
        var body = await ValidBodyAsync(staff);
        body["price"] = JsonNode.Parse("{\"amount\": 2500, \"currency\": \"usd\"}");

        var webinar = await WebinarsApiTests.ReadJsonAsync(await PostAsync(staff, body.ToJsonString()), HttpStatusCode.Created);

        Assert.Equal("USD", webinar.GetProperty("price").GetProperty("currency").GetString());
        Assert.Equal(2500, webinar.GetProperty("price").GetProperty("amount").GetInt64());
    }

    private static async Task<JsonObject> ValidBodyAsync(HttpClient staff) =>
        JsonSerializer.SerializeToNode(TestData.WebinarBody(await TestData.CreateTopicAsync(staff)))!.AsObject();

    private static Task<HttpResponseMessage> PostAsync(HttpClient staff, string json) =>
        staff.PostAsync("/api/webinars", new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Every webinar staff can list, upcoming and past, drafts included.</summary>
    private static async Task<int> CountAsync(HttpClient staff) =>
        (await WebinarsApiTests.SlugsAsync(staff, "/api/webinars?when=upcoming")).Count
        + (await WebinarsApiTests.SlugsAsync(staff, "/api/webinars?when=past")).Count;
}

public sealed class SqliteCreateWebinarValidationTests(SqliteApp app) : CreateWebinarValidationTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresCreateWebinarValidationTests(PostgresApp app) : CreateWebinarValidationTests(app), IClassFixture<PostgresApp>;
