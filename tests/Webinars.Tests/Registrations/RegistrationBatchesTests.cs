using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NodaTime;
using Webinars.Email;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Tests.Registrations;

/// <summary>
/// Group commit on PostgreSQL: several registrations for one webinar saved by one statement. Seats go in arrival order,
/// each registration gets its own first message, and a group that cannot be saved whole saves nothing.
/// </summary>
public sealed class RegistrationBatchesTests(PostgresRegistrationsApp app) : IClassFixture<PostgresRegistrationsApp>
{
    [Fact]
    public async Task InsertMany_MoreThanTheSeatsLeft_SeatsGoInArrivalOrderEachWithItsFirstMessage()
    {
        var (slug, webinar) = await WebinarAsync(b => b["capacity"] = 3);
        var people = People(5);

        var statuses = await InsertManyAsync(webinar, people);

        Assert.Equal([RegistrationStatus.Confirmed, RegistrationStatus.Confirmed, RegistrationStatus.Confirmed, RegistrationStatus.Waitlisted, RegistrationStatus.Waitlisted], statuses);
        var rows = (await Registering.RowsAsync(app, slug)).OrderBy(r => r.CreatedAt).ToList();
        Assert.Equal(people.Select(p => p.Email), rows.Select(r => r.Email)); // arrival order is the waitlist's order
        Assert.Equal(statuses, rows.Select(r => (RegistrationStatus?)r.Status));
        Assert.Equal(3, await Registering.SeatsTakenAsync(app, slug));

        var messages = await MessagesAsync(webinar.Id);
        Assert.Equal(5, messages.Count);
        foreach (var row in rows)
        {
            var message = Assert.Single(messages, m => m.RegistrationId == row.Id);
            Assert.Equal(row.Status == RegistrationStatus.Confirmed ? MessageKinds.Confirmation : MessageKinds.Waitlisted, message.Kind);
            Assert.Equal(row.Email, message.To);
            Assert.Equal(row.AccessTokenHash, AccessTokens.Hash(message.AccessToken!)); // the emailed link opens this registration
        }
    }

    [Fact]
    public async Task InsertMany_FullWithoutWaitlist_SavesOnlyTheSeated()
    {
        var (slug, webinar) = await WebinarAsync(b => (b["capacity"], b["waitlist"]) = (2, false));

        var statuses = await InsertManyAsync(webinar, People(4));

        Assert.Equal([RegistrationStatus.Confirmed, RegistrationStatus.Confirmed, null, null], statuses);
        Assert.Equal(2, (await Registering.RowsAsync(app, slug)).Count);
        Assert.Equal(2, (await MessagesAsync(webinar.Id)).Count);
        Assert.Equal(2, await Registering.SeatsTakenAsync(app, slug));
    }

    [Fact]
    public async Task InsertMany_OneEmailAlreadyRegistered_SavesNothing()
    {
        var (slug, webinar) = await WebinarAsync(b => b["capacity"] = 10);
        var people = People(3);
        await Registering.RegisterOkAsync(app.CreateClient(), slug, Registering.Person(people[1].Email));

        var error = await Assert.ThrowsAsync<PostgresException>(() => InsertManyAsync(webinar, people));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal([people[1].Email], (await Registering.RowsAsync(app, slug)).Select(r => r.Email));
        Assert.Single(await MessagesAsync(webinar.Id));
        Assert.Equal(1, await Registering.SeatsTakenAsync(app, slug));
    }

    [Fact]
    public async Task InsertMany_WebinarCancelledSinceRead_SavesNothing()
    {
        var (slug, webinar) = await WebinarAsync(b => b["capacity"] = 10);
        var staff = await app.CreateStaffClientAsync();
        (await staff.PostAsync($"/api/webinars/{slug}/cancel", null)).EnsureSuccessStatusCode();

        await Assert.ThrowsAsync<WebinarChangedException>(() => InsertManyAsync(webinar, People(3)));

        Assert.Empty(await Registering.RowsAsync(app, slug));
        Assert.Equal(0, await Registering.SeatsTakenAsync(app, slug));
    }

    [Fact]
    public async Task Register_RushWhileTheDatabaseIsBusy_IsSavedInGroupsWithExactlyTheSeats()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Registering.WebinarAsync(staff, b => b["capacity"] = 40);
        var client = app.CreateClient();
        HttpStatusCode[] codes = [];

        // Staff hold the webinar's row (as an edit would) while 300 people register: the first registrations wait for the
        // lock, the rest queue behind them and are then saved in groups.
        await app.WithDbAsync(async db =>
        {
            await using var edit = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM "Webinars" WHERE "Slug" = {slug} FOR UPDATE""");
            var requests = Enumerable.Range(0, 300)
                .Select(async i => (await client.PostAsJsonAsync($"/api/webinars/{slug}/registrations", Registering.Person($"rush{i}@example.org"))).StatusCode)
                .ToList();
            await WaitForLockWaitersAsync();
            await Task.Delay(TimeSpan.FromSeconds(1)); // the rest arrive and queue
            await edit.CommitAsync();
            codes = await Task.WhenAll(requests);
        });

        Assert.All(codes, c => Assert.Equal(HttpStatusCode.Created, c));
        Assert.True(await LargestGroupAsync(slug) > 1, "No two registrations were saved together.");
        var rows = await Registering.RowsAsync(app, slug);
        Assert.Equal(300, rows.Count);
        Assert.Equal(40, rows.Count(r => r.Status == RegistrationStatus.Confirmed));
        Assert.Equal(40, await Registering.SeatsTakenAsync(app, slug));
        var kinds = (await MessagesAsync(rows[0].WebinarId)).ToDictionary(m => m.RegistrationId!.Value, m => m.Kind);
        Assert.All(rows, r => Assert.Equal(r.Status == RegistrationStatus.Confirmed ? MessageKinds.Confirmation : MessageKinds.Waitlisted, kinds[r.Id]));
    }

    /// <summary>
    /// The most registrations of the webinar saved by one transaction: rows written by one transaction share its id
    /// (PostgreSQL's xmin), and a registration saved on its own commits alone.
    /// </summary>
    private async Task<int> LargestGroupAsync(string slug)
    {
        var largest = 0;
        await app.WithDbAsync(async db => largest = await db.Database.SqlQuery<int>(
            $"""
            SELECT coalesce(max(n), 0)::int AS "Value" FROM (
                SELECT count(*) AS n FROM "Registrations" r JOIN "Webinars" w ON w."Id" = r."WebinarId"
                WHERE w."Slug" = {slug} GROUP BY r.xmin::text) AS groups
            """).SingleAsync());
        return largest;
    }

    private async Task WaitForLockWaitersAsync()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var waiting = 0;
        while (waiting == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "No registration reached the database within 30 s.");
            await Task.Delay(50);
            await app.WithDbAsync(async db => waiting = await db.Database.SqlQuery<int>(
                $"""SELECT count(*)::int AS "Value" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'""").SingleAsync());
        }
    }

    private static List<NewRegistration> People(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new NewRegistration($"Person {i}", $"p{i}-{Guid.NewGuid():N}@example.org", "Institute", "Europe/Paris", []))];

    private async Task<(string Slug, Webinar Webinar)> WebinarAsync(Action<Dictionary<string, object?>> tweak)
    {
        var slug = await Registering.WebinarAsync(await app.CreateStaffClientAsync(), tweak);
        Webinar webinar = null!;
        await app.WithDbAsync(async db => webinar = await db.Webinars.AsNoTracking().SingleAsync(w => w.Slug == slug));
        return (slug, webinar);
    }

    private async Task<RegistrationStatus?[]> InsertManyAsync(Webinar webinar, List<NewRegistration> people)
    {
        RegistrationStatus?[] statuses = [];
        await app.WithDbAsync(async db => statuses = await OneStatementRegistration.InsertManyAsync(
            db, webinar, people, SystemClock.Instance.GetCurrentInstant(), CancellationToken.None));
        return statuses;
    }

    private async Task<List<OutboxMessage>> MessagesAsync(Guid webinarId)
    {
        List<OutboxMessage> messages = [];
        await app.WithDbAsync(async db => messages = await db.OutboxMessages().AsNoTracking().Where(m => m.WebinarId == webinarId).ToListAsync());
        return messages;
    }
}
