using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Caching;

/// <summary>Instances A and B on one PostgreSQL database, joined by Redis: a change on A evicts B's kept reads too.</summary>
public sealed class ReadCacheScaleOutTests() : TwoInstances<PostgresApp>("cache2")
{
    protected override PostgresApp Instance(string database) => new RedisApp(database);

    [Fact]
    public async Task ChangesOnA_NextReadsOnB_ShowThem()
    {
        var staff = await A.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var body = TestData.WebinarBody(topic, "Seen On Both");
        body["capacity"] = 1;
        var slug = await TestData.CreateWebinarAsync(staff, body);
        Assert.Contains("1 seat left.", await PageOnBAsync(slug));
        Assert.NotNull((await B.CreateClient().GetAsync($"/webinars/{slug}")).Headers.Age); // B keeps it

        var registered = await A.CreateClient().PostAsJsonAsync($"/api/webinars/{slug}/registrations",
            new { name = "Last Seat", email = $"last-{Guid.NewGuid():N}@example.org", timeZone = "Europe/Paris" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        await EventuallyAsync(async () => (await PageOnBAsync(slug)).Contains("Full — waitlist open", StringComparison.Ordinal), "B shows the last seat taken");

        body["title"] = "Renamed On A";
        (await staff.PutAsJsonAsync($"/api/webinars/{slug}", body)).EnsureSuccessStatusCode();
        await EventuallyAsync(async () => (await B.CreateClient().GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}")).GetProperty("title").GetString() == "Renamed On A",
            "B's JSON shows the new title");

        (await staff.PostAsync($"/api/webinars/{slug}/cancel", null)).EnsureSuccessStatusCode();
        await EventuallyAsync(async () => (await PageOnBAsync(slug)).Contains("<strong>Cancelled.</strong>", StringComparison.Ordinal), "B shows it cancelled");
    }

    private async Task<string> PageOnBAsync(string slug) => WebUtility.HtmlDecode(await B.CreateClient().GetStringAsync($"/webinars/{slug}"));

    /// <summary>Redis delivers the eviction a moment after A answered: waits for it, generously.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed.TotalSeconds < AppProcess.PatienceSeconds, $"Timed out waiting until {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>An instance on the test's shared database with Redis, and a kept read living far longer than the test.</summary>
    private sealed class RedisApp(string database) : PostgresApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(TwoInstances.Settings(database)) { ["ReadCache:Seconds"] = "3600" };
    }
}
