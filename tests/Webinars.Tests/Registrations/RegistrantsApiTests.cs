using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;
using static Webinars.Tests.Registrations.Registering;

#pragma warning disable CA1861 // literal request bodies read best inline in tests

namespace Webinars.Tests.Registrations;

/// <summary>Staff: the registrant list, its export, questions and approval; runs once per database.</summary>
public abstract class RegistrantsApiTests(WebinarsApp app, RecordingNotifier notifier)
{
    private static string NewEmail() => $"r-{Guid.NewGuid():N}@example.org";

    [Fact]
    public async Task List_AnonymousOrModerator_Returns401Or403()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var moderator = await app.CreateClientWithRoleAsync("Moderator");

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync($"/api/webinars/{slug}/registrations")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.GetAsync($"/api/webinars/{slug}/registrations")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.PostAsJsonAsync($"/api/webinars/{slug}/registrations/approve", new { ids = new[] { Guid.NewGuid() } })).StatusCode);
    }

    [Fact]
    public async Task List_AttendeeToken_Returns403()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var email = NewEmail();
        await RegisterOkAsync(app.CreateClient(), slug, Person(email));

        var response = await Attendee(app, notifier.LastToken(email)).GetAsync($"/api/webinars/{slug}/registrations");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task List_StatusAndSearch_FiltersAndCounts()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await WebinarAsync(staff, b => b["capacity"] = 1);
        await RegisterOkAsync(app.CreateClient(), slug, Person(NewEmail(), name: "Grace Hopper", organization: "Navy"));
        app.Clock.AdvanceSeconds(1);
        await RegisterOkAsync(app.CreateClient(), slug, Person(NewEmail(), name: "Alan Turing", organization: "Bletchley Park"));

        var all = await staff.GetAsync($"/api/webinars/{slug}/registrations");
        var waitlisted = await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}/registrations?status=Waitlisted");
        var search = await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}/registrations?search=bletchley");
        var summary = await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}/registrations/summary");

        Assert.Equal("2", all.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal("Alan Turing", Assert.Single(waitlisted.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("Alan Turing", Assert.Single(search.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(1, summary.GetProperty("counts").GetProperty("Confirmed").GetInt32());
        Assert.Equal(1, summary.GetProperty("counts").GetProperty("Waitlisted").GetInt32());
        Assert.Equal(1, summary.GetProperty("seatsTaken").GetInt32());
        await Problems.AssertFieldErrorAsync(await staff.GetAsync($"/api/webinars/{slug}/registrations?status=Lost"), "status");
    }

    [Fact]
    public async Task Csv_FormulaLikeCells_AreNeutralisedAndQuoted()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await WebinarAsync(staff);
        await RegisterOkAsync(app.CreateClient(), slug, Person(NewEmail(), name: "=cmd()|' /C calc'!A0", organization: "+1, \"Zoë\" & Co"));
        app.Clock.AdvanceSeconds(1);
        await RegisterOkAsync(app.CreateClient(), slug, Person(NewEmail(), name: "@SUM(A1)", organization: "-2"));
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/webinars/{slug}/registrations");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        var response = await staff.SendAsync(request);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Name,Email,Organization,Time zone,Status,Registered at", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("'=cmd()|' /C calc'!A0,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",\"'+1, \"\"Zoë\"\" & Co\",", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("'@SUM(A1),", lines[2], StringComparison.Ordinal);
        Assert.Contains(",'-2,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Questions_SetByStaff_AreValidatedStoredAndExported()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await WebinarAsync(staff);
        var put = await staff.PutAsJsonAsync($"/api/webinars/{slug}/questions", new object[]
        {
            new { kind = "ShortText", label = "Your role", required = true },
            new { kind = "SingleChoice", label = "Sector", required = false, options = new[] { "Government", "Academia" } },
            new { kind = "MultipleChoice", label = "Interests", required = false, options = new[] { "Trust", "Arms", "Cyber" } },
            new { kind = "Consent", label = "I agree to be recorded.", required = true },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var ids = (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}/questions"))
            .EnumerateArray().Select(q => q.GetProperty("id").GetString()!).ToArray();
        var client = app.CreateClient();

        var missing = await client.PostAsJsonAsync($"/api/webinars/{slug}/registrations", Person(NewEmail(), answers: new Dictionary<string, object> { [ids[1]] = "Academia" }));
        var badChoice = await client.PostAsJsonAsync($"/api/webinars/{slug}/registrations", Person(NewEmail(), answers: new Dictionary<string, object>
        {
            [ids[0]] = "Analyst",
            [ids[1]] = "Industry",
            [ids[3]] = true,
        }));
        var good = await client.PostAsJsonAsync($"/api/webinars/{slug}/registrations", Person(NewEmail(), answers: new Dictionary<string, object>
        {
            [ids[0]] = "Analyst",
            [ids[1]] = "Academia",
            [ids[2]] = new[] { "Cyber", "Trust" },
            [ids[3]] = true,
        }));

        Assert.Contains("Your role", await Problems.AssertFieldErrorAsync(missing, $"answers.{ids[0]}"), StringComparison.Ordinal);
        await Problems.AssertFieldErrorAsync(missing, $"answers.{ids[3]}");
        await Problems.AssertFieldErrorAsync(badChoice, $"answers.{ids[1]}");
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
        var row = Assert.Single((await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}/registrations")).EnumerateArray());
        var answers = row.GetProperty("answers").EnumerateArray().Select(a => (a.GetProperty("label").GetString(), a.GetProperty("value").GetString())).ToList();
        Assert.Equal([("Your role", "Analyst"), ("Sector", "Academia"), ("Interests", "Trust; Cyber"), ("I agree to be recorded.", "Yes")], answers);
        var csv = await staff.GetStringAsync($"/api/webinars/{slug}/registrations?format=csv");
        Assert.Contains(",Your role,Sector,Interests,I agree to be recorded.", csv, StringComparison.Ordinal);
        Assert.Contains(",Analyst,Academia,Trust; Cyber,Yes", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Questions_BadDefinition_Returns400NamingTheField()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await WebinarAsync(staff);

        var response = await staff.PutAsJsonAsync($"/api/webinars/{slug}/questions", new object[]
        {
            new { kind = "ShortText", label = "Fine" },
            new { kind = "SingleChoice", label = "Only one option", options = new[] { "A" } },
            new { kind = "Essay", label = "?" },
        });

        await Problems.AssertFieldErrorAsync(response, "questions[1].options");
        await Problems.AssertFieldErrorAsync(response, "questions[2].kind");
    }

    [Fact]
    public async Task Approval_PendingThenApprovedOrDeclined_TakesASeatAndTellsEach()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await WebinarAsync(staff, b => (b["requiresApproval"], b["capacity"]) = (true, 1));
        var (a, b, c) = (NewEmail(), NewEmail(), NewEmail());
        foreach (var email in new[] { a, b, c })
        {
            Assert.Equal("PendingApproval", (await RegisterOkAsync(app.CreateClient(), slug, Person(email))).GetProperty("status").GetString());
            app.Clock.AdvanceSeconds(1);
        }

        var rows = await RowsAsync(app, slug);
        Guid Id(string email) => rows.Single(r => r.Email == email).Id;
        Assert.Equal(0, await SeatsTakenAsync(app, slug));

        var approve = await staff.PostAsJsonAsync($"/api/webinars/{slug}/registrations/approve", new { ids = new[] { Id(a), Id(b) } });
        var decline = await staff.PostAsJsonAsync($"/api/webinars/{slug}/registrations/decline", new { ids = new[] { Id(c) } });

        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var outcomes = (await approve.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(o => o.GetProperty("outcome").GetString()).ToList();
        Assert.Equal(["Confirmed", "Waitlisted"], outcomes);
        Assert.Equal(HttpStatusCode.OK, decline.StatusCode);
        rows = await RowsAsync(app, slug);
        Assert.Equal(RegistrationStatus.Confirmed, rows.Single(r => r.Email == a).Status);
        Assert.Equal(RegistrationStatus.Waitlisted, rows.Single(r => r.Email == b).Status);
        Assert.Equal(RegistrationStatus.Declined, rows.Single(r => r.Email == c).Status);
        Assert.Equal(["PendingApproval", "Promoted"], notifier.To(a).Select(m => m.Kind));
        Assert.Equal(["PendingApproval", "Waitlisted"], notifier.To(b).Select(m => m.Kind));
        Assert.Equal(["PendingApproval", "Declined"], notifier.To(c).Select(m => m.Kind));
        Assert.Equal(1, await SeatsTakenAsync(app, slug));
        await Problems.AssertFieldErrorAsync(await staff.PostAsJsonAsync($"/api/webinars/{slug}/registrations/approve", new { ids = Array.Empty<Guid>() }), "ids");
    }
}

public sealed class SqliteRegistrantsApiTests(SqliteRegistrationsApp app)
    : RegistrantsApiTests(app, app.Notifier), IClassFixture<SqliteRegistrationsApp>;

public sealed class PostgresRegistrantsApiTests(PostgresRegistrationsApp app)
    : RegistrantsApiTests(app, app.Notifier), IClassFixture<PostgresRegistrationsApp>;

/// <summary>Rate limiting is the same code on both databases; SQLite only.</summary>
public sealed class RateLimitTests(SqliteRateLimitedApp app) : IClassFixture<SqliteRateLimitedApp>
{
    [Fact]
    public async Task SendLink_TooOftenFromOneAddress_Returns429Problem()
    {
        var slug = await WebinarAsync(await app.CreateStaffClientAsync());
        var client = app.CreateClient();

        var codes = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 6; i++)
        {
            last = await client.PostAsJsonAsync($"/api/webinars/{slug}/registrations/send-link", new { email = "x@example.org" });
            codes.Add(last.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Accepted, 5), codes.Take(5));
        await Problems.AssertProblemAsync(last!, HttpStatusCode.TooManyRequests);
    }
}
