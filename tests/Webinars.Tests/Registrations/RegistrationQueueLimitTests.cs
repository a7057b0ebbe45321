using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Webinars.Registrations;

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
        const int Beyond = 5;
        List<Task<HttpResponseMessage>> saving = [];
        var rest = new Dictionary<string, Task<HttpResponseMessage>>();
        List<string> answeredWhileHeld = [];

        await app.WithDbAsync(async db =>
        {
            // Staff hold the webinar's row: both registration statements in flight wait for it (counted among the lock
            // waiters by their text, as background work may wait too), so nothing leaves the queue.
            await using var edit = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM "Webinars" WHERE "Slug" = {slug} FOR UPDATE""");
            for (var i = 1; i <= 2; i++)
            {
                saving.Add(Register($"saving{i}@example.org"));
                await WaitForLockWaitersAsync(i);
            }

            // The queue takes whichever arrive first; those beyond it are answered at once, while the row is still held
            // (an unbounded queue would keep every one of them waiting here).
            foreach (var i in Enumerable.Range(0, PostgresShortQueueApp.MaxQueued + Beyond)) rest[$"later{i}@example.org"] = Register($"later{i}@example.org");
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (rest.Values.Count(t => t.IsCompleted) < Beyond) await Task.Delay(50, deadline.Token);
            answeredWhileHeld = [.. rest.Where(r => r.Value.IsCompleted).Select(r => r.Key)];
            await edit.CommitAsync();
        });

        Assert.Equal(Beyond, answeredWhileHeld.Count);
        foreach (var email in answeredWhileHeld)
        {
            var refused = await rest[email];
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter is not null, "a 503 without Retry-After");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        var queued = rest.Where(r => !answeredWhileHeld.Contains(r.Key)).Select(r => r.Value);
        foreach (var response in await Task.WhenAll(saving.Concat(queued))) Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var emails = (await Registering.RowsAsync(app, slug)).Select(r => r.Email).ToList();
        Assert.Equal(2 + PostgresShortQueueApp.MaxQueued, emails.Count);
        Assert.DoesNotContain(emails, answeredWhileHeld.Contains);
    }

    private async Task WaitForLockWaitersAsync(int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var waiting = 0;
        while (waiting < count)
        {
            await Task.Delay(50, deadline.Token);
            await app.WithDbAsync(async db => waiting = await db.Database.SqlQuery<int>(
                $"""SELECT count(*)::int AS "Value" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO "Registrations"%'""").SingleAsync());
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
