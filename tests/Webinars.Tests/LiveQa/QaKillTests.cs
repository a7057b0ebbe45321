using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;
using Webinars.LiveQa;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webinars.Tests.LiveQa;

/// <summary>
/// The app as a real process on PostgreSQL, killed with SIGKILL while attendees are asking: every question whose
/// <c>Ask</c> was acknowledged is in the database when the app starts again.
/// </summary>
public sealed class QaKillTests(ITestOutputHelper output) : ProcessTest("qakill", maxPoolSize: 40)
{
    private const int Attendees = 20;
    private const int KillAfter = 100;

    [Fact]
    public async Task Ask_AppKilledDuringBurst_EveryAcknowledgedQuestionKept()
    {
        await AddStaffAsync();
        var first = await StartAsync();
        var (slug, webinarId) = await CreateLiveWebinarAsync(first);
        var tokens = await RegisterAsync(webinarId);

        var acknowledged = new ConcurrentBag<Guid>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var connections = new List<HubConnection>();
        foreach (var token in tokens)
        {
            var connection = new HubConnectionBuilder().WithUrl(new Uri(first.BaseAddress, "/hubs/qa"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            }).Build();
            await connection.StartAsync();
            await connection.InvokeAsync<LiveQuestion[]>("Join", slug);
            connections.Add(connection);
        }

        async Task AskUntilDeadAsync(HubConnection connection, int who)
        {
            for (var i = 0; ; i++)
            {
                try
                {
                    var q = await connection.InvokeAsync<LiveQuestion>("Ask", $"{who}-{i}", $"Question {i} from attendee {who}", false);
                    acknowledged.Add(Guid.Parse(q.Id));
                    if (acknowledged.Count >= KillAfter) enough.TrySetResult();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    return; // the app died under it
                }
            }
        }

        var burst = Task.WhenAll(connections.Select((c, i) => Task.Run(() => AskUntilDeadAsync(c, i))));
        await Task.WhenAny(enough.Task, Task.Delay(TimeSpan.FromSeconds(AppProcess.PatienceSeconds)));
        first.Kill();
        await burst.WaitAsync(TimeSpan.FromSeconds(AppProcess.PatienceSeconds));
        foreach (var c in connections) await c.DisposeAsync();

        Assert.True(acknowledged.Count >= KillAfter, $"only {acknowledged.Count} questions acknowledged before the kill:\n{first.Output}");
        await StartAsync();
        await using var db = Context();
        var saved = (await db.Questions.Select(q => q.Id).ToListAsync()).ToHashSet();
        var missing = acknowledged.Where(id => !saved.Contains(id)).ToList();
        output.WriteLine($"{acknowledged.Count} acknowledged before the kill; {saved.Count} saved in all");
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged questions are gone after the crash");
    }

    private PostgresWebinarsDbContext Context()
    {
        var options = new DbContextOptionsBuilder<PostgresWebinarsDbContext>();
        DatabaseSetup.UsePostgres(options, TestPostgres.ConnectionStringFor(Database));
        return new PostgresWebinarsDbContext(options.Options);
    }

    /// <summary>A webinar starting ten minutes from now on the real clock (the process has no fake one): its Q&amp;A is open.</summary>
    private static async Task<(string Slug, Guid Id)> CreateLiveWebinarAsync(AppProcess app)
    {
        using var staff = await StaffClientAsync(app);
        var start = SystemClock.Instance.GetCurrentInstant().Plus(Duration.FromMinutes(10)).InZone(DateTimeZoneProviders.Tzdb["America/New_York"]).LocalDateTime;
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff), "Killed mid-Q&A", start.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        var slug = await TestData.CreateWebinarAsync(staff, body);
        var webinar = await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}");
        return (slug, webinar.TryGetProperty("id", out var id) ? id.GetGuid() : Guid.Empty);
    }

    private async Task<List<string>> RegisterAsync(Guid webinarId)
    {
        await using var db = Context();
        if (webinarId == Guid.Empty) webinarId = await db.Webinars.OrderByDescending(w => w.CreatedAt).Select(w => w.Id).FirstAsync();
        var tokens = new List<string>();
        for (var i = 0; i < Attendees; i++)
        {
            var (token, hash) = AccessTokens.New();
            tokens.Add(token);
            db.Registrations.Add(new Registration
            {
                WebinarId = webinarId,
                Name = $"Asker {i}",
                Email = $"asker{i}@example.org",
                TimeZoneId = "Europe/Paris",
                AccessTokenHash = hash,
                Status = RegistrationStatus.Confirmed,
            });
        }

        await db.SaveChangesAsync();
        return tokens;
    }
}
