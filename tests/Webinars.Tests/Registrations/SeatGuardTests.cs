using System.Net;
using System.Net.Http.Json;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Registrations;

/// <summary>
/// The rush: 500 concurrent registrations (400 people, 100 of them sending again in other casing and spacing) for 50
/// seats. The guard must give exactly 50 seats; the naive variant must be caught overselling by the same test.
/// </summary>
public abstract class SeatGuardTests(WebinarsApp app)
{
    private const int Capacity = 50;
    private const int People = 400;
    private const int Repeats = 100;

    protected async Task<(List<Registration> Rows, int SeatsTaken, List<HttpStatusCode> Codes)> RushAsync()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Registering.WebinarAsync(staff, b => b["capacity"] = Capacity);
        var emails = Enumerable.Range(0, People).Select(i => $"person{i}@example.org").ToList();
        var requests = emails.Concat(emails.Take(Repeats).Select(e => $"  {e.ToUpperInvariant()} ")).ToList();
        var client = app.CreateClient();

        using var start = new SemaphoreSlim(0);
        var tasks = requests.Select(async email =>
        {
            await start.WaitAsync();
            var response = await client.PostAsJsonAsync($"/api/webinars/{slug}/registrations", Registering.Person(email));
            return response.StatusCode;
        }).ToList();
        start.Release(requests.Count);
        var codes = (await Task.WhenAll(tasks)).ToList();

        return (await Registering.RowsAsync(app, slug), await Registering.SeatsTakenAsync(app, slug), codes);
    }
}

public abstract class SafeSeatGuardTests(WebinarsApp app) : SeatGuardTests(app)
{
    [Fact]
    public async Task Register_500ConcurrentFor50Seats_Exactly50ConfirmedOneRowPerPerson()
    {
        var (rows, seatsTaken, codes) = await RushAsync();

        Assert.All(codes, c => Assert.Equal(HttpStatusCode.Created, c));
        Assert.Equal(400, rows.Count);
        Assert.Equal(400, rows.Select(r => r.Email).Distinct().Count());
        Assert.Equal(50, rows.Count(r => r.Status == RegistrationStatus.Confirmed));
        Assert.Equal(350, rows.Count(r => r.Status == RegistrationStatus.Waitlisted));
        Assert.Equal(50, seatsTaken);
    }
}

public abstract class UnsafeSeatGuardTests(WebinarsApp app) : SeatGuardTests(app)
{
    [Fact]
    public async Task Register_500ConcurrentWithNaiveCountThenInsert_Oversells()
    {
        var (rows, _, _) = await RushAsync();

        Assert.True(rows.Count(r => r.Status == RegistrationStatus.Confirmed) > 50,
            $"The naive variant confirmed {rows.Count(r => r.Status == RegistrationStatus.Confirmed)}: the test cannot see the race.");
    }
}

public sealed class SqliteSeatGuardTests(SqliteRegistrationsApp app) : SafeSeatGuardTests(app), IClassFixture<SqliteRegistrationsApp>;

public sealed class PostgresSeatGuardTests(PostgresRegistrationsApp app) : SafeSeatGuardTests(app), IClassFixture<PostgresRegistrationsApp>;

public sealed class SqliteUnsafeSeatGuardTests(SqliteUnsafeSeatsApp app) : UnsafeSeatGuardTests(app), IClassFixture<SqliteUnsafeSeatsApp>;

public sealed class PostgresUnsafeSeatGuardTests(PostgresUnsafeSeatsApp app) : UnsafeSeatGuardTests(app), IClassFixture<PostgresUnsafeSeatsApp>;
