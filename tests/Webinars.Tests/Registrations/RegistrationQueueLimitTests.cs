using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Registrations;

/// <summary>The group-commit queue is bounded: once it is full a registration is answered 503 at once and nothing of it is saved.</summary>
public sealed class RegistrationQueueLimitTests(PostgresShortQueueApp app) : IClassFixture<PostgresShortQueueApp>
{
    [Fact]
    public async Task Register_QueueFullWhileTheDatabaseIsBusy_Answers503WithRetryAfterAndSavesNothingOfThose()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Registering.WebinarAsync(staff, b => b["capacity"] = 100);
        var client = app.CreateClient();
        Task<HttpResponseMessage> Register(string email) => client.PostAsJsonAsync($"/api/webinars/{slug}/registrations", Registering.Person(email));
        List<Task<HttpResponseMessage>> saving = [], queued = [];
        HttpResponseMessage[] refused = [];

        await app.WithDbAsync(async db =>
        {
            // Staff hold the webinar's row: both statements in flight wait for it, so nothing leaves the queue.
            await using var edit = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM "Webinars" WHERE "Slug" = {slug} FOR UPDATE""");
            for (var i = 1; i <= 2; i++)
            {
                saving.Add(Register($"saving{i}@example.org"));
                await WaitForLockWaitersAsync(i);
            }

            queued.AddRange(Enumerable.Range(0, PostgresShortQueueApp.MaxQueued).Select(i => Register($"queued{i}@example.org")));
            // Answered at once, while the row is still held; an unbounded queue would keep them waiting here.
            refused = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => Register($"refused{i}@example.org"))).WaitAsync(TimeSpan.FromSeconds(60));
            await edit.CommitAsync();
        });

        Assert.All(refused, r =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
            Assert.True(r.Headers.RetryAfter is not null, "a 503 without Retry-After");
        });
        Assert.Equal("application/problem+json", refused[0].Content.Headers.ContentType?.MediaType);
        foreach (var response in await Task.WhenAll(saving.Concat(queued))) Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var emails = (await Registering.RowsAsync(app, slug)).Select(r => r.Email).ToList();
        Assert.Equal(2 + PostgresShortQueueApp.MaxQueued, emails.Count);
        Assert.DoesNotContain(emails, e => e.StartsWith("refused", StringComparison.Ordinal));
    }

    private async Task WaitForLockWaitersAsync(int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var waiting = 0;
        while (waiting < count)
        {
            await Task.Delay(50, deadline.Token);
            await app.WithDbAsync(async db => waiting = await db.Database.SqlQuery<int>(
                $"""SELECT count(*)::int AS "Value" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'""").SingleAsync());
        }
    }
}

public sealed class PostgresShortQueueApp : PostgresRegistrationsApp
{
    public const int MaxQueued = 4;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [$"{RegistrationOptions.Section}:{nameof(RegistrationOptions.MaxQueued)}"] = MaxQueued.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
