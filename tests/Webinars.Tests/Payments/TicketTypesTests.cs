using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Payments;

/// <summary>Staff define ticket types; readers see them; registering names one and pays its price.</summary>
public abstract class TicketTypesTests(WebinarsApp app)
{
    private readonly FakeStripe _stripe = ((IPaymentsApp)app).Stripe;

    [Fact]
    public async Task SetTicketTypes_Valid_ShownWithPriceAndSeatsLeft()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Paying.WebinarAsync(staff, capacity: 10);

        await Tickets.SetAsync(staff, slug, "standard", "Standard", 2500, 6);
        await Tickets.SetAsync(staff, slug, "student", "Student", 1000, 4);

        var webinar = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}");
        var types = webinar.GetProperty("ticketTypes").EnumerateArray().ToList();
        Assert.Equal(["standard", "student"], types.Select(t => t.GetProperty("key").GetString()));
        Assert.Equal("10.00 USD", types[1].GetProperty("text").GetString());
        Assert.Equal(4, types[1].GetProperty("seatsLeft").GetInt32());
        var listed = await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}/ticket-types");
        Assert.Equal(2, listed.GetArrayLength());
        var inList = (await staff.GetFromJsonAsync<JsonElement>("/api/webinars")).EnumerateArray().Single(w => w.GetProperty("slug").GetString() == slug);
        Assert.Equal(2, inList.GetProperty("ticketTypes").GetArrayLength());
    }

    [Theory]
    [InlineData("name", null, 2500L, 3)]
    [InlineData("price", "Student", 10L, 3)] // below Stripe's minimum in USD
    [InlineData("price", "Student", null, 3)]
    [InlineData("seats", "Student", 2500L, 0)]
    [InlineData("seats", "Student", 2500L, 9)] // with standard's 6, over the capacity of 10
    public async Task SetTicketType_BadField_400NamingItAndNothingChanged(string field, string? name, long? price, int seats)
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Paying.WebinarAsync(staff, capacity: 10);
        await Tickets.SetAsync(staff, slug, "standard", "Standard", 2500, 6);

        var response = await staff.PutAsJsonAsync($"/api/webinars/{slug}/ticket-types/student", new { name, price, seats });

        await Problems.AssertFieldErrorAsync(response, field);
        Assert.Equal(1, (await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}/ticket-types")).GetArrayLength());
    }

    [Fact]
    public async Task SetTicketType_BadKeyOrFreeWebinar_400()
    {
        var staff = await app.CreateStaffClientAsync();
        var paid = await Paying.WebinarAsync(staff);
        var free = await global::Webinars.Tests.Registrations.Registering.WebinarAsync(staff);

        await Problems.AssertFieldErrorAsync(await staff.PutAsJsonAsync($"/api/webinars/{paid}/ticket-types/Not%20A%20Key", new { name = "X", price = 2500, seats = 1 }), "key");
        await Problems.AssertFieldErrorAsync(await staff.PutAsJsonAsync($"/api/webinars/{free}/ticket-types/standard", new { name = "X", price = 2500, seats = 1 }), "price");
    }

    [Fact]
    public async Task Register_TicketTypeMissingOrUnknown_400NamingTicketType()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Paying.WebinarAsync(staff, capacity: 10);
        await Tickets.SetAsync(staff, slug, "standard", "Standard", 2500, 6);
        var free = await global::Webinars.Tests.Registrations.Registering.WebinarAsync(staff);
        var client = app.CreateClient();

        Assert.Contains("standard", await Problems.AssertFieldErrorAsync(await Tickets.RegisterAsync(client, slug, "a@example.org", null), "ticketType"));
        await Problems.AssertFieldErrorAsync(await Tickets.RegisterAsync(client, slug, "a@example.org", "vip"), "ticketType");
        await Problems.AssertFieldErrorAsync(await Tickets.RegisterAsync(client, free, "a@example.org", "standard"), "ticketType");
        await app.WithDbAsync(async db => Assert.Equal(0, await db.Registrations.CountAsync(r => r.Webinar.Slug == slug)));
    }

    [Fact]
    public async Task Register_WithTicketType_CheckoutChargesItsPriceAndListShowsIt()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Paying.WebinarAsync(staff, capacity: 10);
        await Tickets.SetAsync(staff, slug, "standard", "Standard", 2500, 6);
        await Tickets.SetAsync(staff, slug, "supporter", "Supporter", 5000, 1);
        var client = app.CreateClient();

        var first = await Tickets.RegisterAsync(client, slug, "sup1@example.org", "supporter");
        var second = await Tickets.RegisterAsync(client, slug, "sup2@example.org", "supporter");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var url = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checkoutUrl").GetString()!;
        var session = _stripe.Sessions.Single(s => url.EndsWith((string)s["id"]!, StringComparison.Ordinal));
        Assert.Equal(5000, (long)session["amount_total"]!);
        Assert.EndsWith(" — Supporter", _stripe.LineItemNames[(string)session["id"]!], StringComparison.Ordinal);
        Assert.Equal("Waitlisted", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var csv = Encoding.UTF8.GetString(await staff.GetByteArrayAsync($"/api/webinars/{slug}/registrations?format=csv"));
        Assert.Equal(2, csv.Split('\n').Count(line => line.Contains("Supporter", StringComparison.Ordinal)));
        var webinar = await client.GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}");
        Assert.Equal(0, webinar.GetProperty("ticketTypes")[1].GetProperty("seatsLeft").GetInt32());
        Assert.Equal(9, webinar.GetProperty("seatsLeft").GetInt32());
    }

    [Fact]
    public async Task ChangeTicketType_BelowSeatsTakenOrRemovingOneInUse_Refused()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Paying.WebinarAsync(staff, capacity: 10);
        await Tickets.SetAsync(staff, slug, "student", "Student", 1000, 3);
        var client = app.CreateClient();
        await Tickets.RegisterAsync(client, slug, "s1@example.org", "student");
        await Tickets.RegisterAsync(client, slug, "s2@example.org", "student");

        var lower = await staff.PutAsJsonAsync($"/api/webinars/{slug}/ticket-types/student", new { name = "Student", price = 1000, seats = 1 });
        var remove = await staff.DeleteAsync($"/api/webinars/{slug}/ticket-types/student");

        Assert.Contains("2 tickets", await Problems.AssertFieldErrorAsync(lower, "seats"));
        await Problems.AssertProblemAsync(remove, HttpStatusCode.Conflict);
        var types = await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}/ticket-types");
        Assert.Equal(3, types[0].GetProperty("seats").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await staff.PutAsJsonAsync($"/api/webinars/{slug}/ticket-types/student", new { name = "Student", price = 1000, seats = 2 })).StatusCode);
    }

    [Fact]
    public async Task MoreSeatsOfAType_WaitlistedOfThatTypeOfferedASeat()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Paying.WebinarAsync(staff, capacity: 10);
        await Tickets.SetAsync(staff, slug, "standard", "Standard", 2500, 1);
        await Tickets.SetAsync(staff, slug, "student", "Student", 1000, 1);
        var client = app.CreateClient();
        await Tickets.RegisterAsync(client, slug, "std1@example.org", "standard");
        await Tickets.RegisterAsync(client, slug, "stu1@example.org", "student");
        await Tickets.RegisterAsync(client, slug, "stu2@example.org", "student");
        await Tickets.RegisterAsync(client, slug, "std2@example.org", "standard");

        await Tickets.SetAsync(staff, slug, "standard", "Standard", 2500, 2);

        var (promoted, payment) = await Paying.RowAsync(app, slug, "std2@example.org");
        Assert.Equal(global::Webinars.Registrations.RegistrationStatus.PendingPayment, promoted.Status);
        Assert.Equal(2500, payment!.Amount);
        Assert.Equal(global::Webinars.Registrations.RegistrationStatus.Waitlisted, (await Paying.RowAsync(app, slug, "stu2@example.org")).Registration.Status);
    }

    [Fact]
    public async Task RegistrantsPage_AddTypeThenLowerBelowTaken_SavedThenRefusedWithTheReason()
    {
        var staff = await global::Webinars.Tests.Pages.StaffForms.CreateClientAsync(app);
        var slug = await Paying.WebinarAsync(staff, capacity: 10);
        var page = $"/staff/webinars/{slug}/registrants";

        var added = await global::Webinars.Tests.Pages.StaffForms.TextAsync(await global::Webinars.Tests.Pages.StaffForms.PostAsync(staff, page,
            [new("key", "student"), new("name", "Student"), new("price", "1000"), new("seats", "2")], $"{page}?handler=TicketType"));
        await Tickets.RegisterAsync(app.CreateClient(), slug, "s1@example.org", "student");
        var refused = await global::Webinars.Tests.Pages.StaffForms.TextAsync(await global::Webinars.Tests.Pages.StaffForms.PostAsync(staff, page,
            [new("key", "student"), new("name", "Student"), new("price", "1000"), new("seats", "0")], $"{page}?handler=TicketType"));

        Assert.Contains("Ticket type 'student' saved: 10.00 USD, 2 seats (2 left).", added);
        Assert.Contains("seats: Seats is required", refused);
        Assert.Contains("1 taken", refused);
    }
}

/// <summary>Ticket-type calls the tests repeat.</summary>
internal static class Tickets
{
    public static async Task SetAsync(HttpClient staff, string slug, string key, string name, long price, int seats)
    {
        var response = await staff.PutAsJsonAsync($"/api/webinars/{slug}/ticket-types/{key}", new { name, price, seats });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static Task<HttpResponseMessage> RegisterAsync(HttpClient client, string slug, string email, string? ticketType) =>
        client.PostAsJsonAsync($"/api/webinars/{slug}/registrations",
            new { name = "Ada Lovelace", email, organization = "Analytical Society", timeZone = "Europe/London", ticketType });
}

public sealed class SqliteTicketTypesTests(SqlitePaymentsApp app) : TicketTypesTests(app), IClassFixture<SqlitePaymentsApp>;

public sealed class PostgresTicketTypesTests(PostgresPaymentsApp app) : TicketTypesTests(app), IClassFixture<PostgresPaymentsApp>;
