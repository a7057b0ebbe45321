using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using MimeKit;
using NodaTime;
using NodaTime.Text;
using Webinars.LiveQa;
using Webinars.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webinars.Tests.LiveQa;

/// <summary>
/// The Q&amp;A on two app processes on PostgreSQL, joined by a real redis-server, behind nginx run from the shipped
/// infra/nginx.conf on a non-80 port: what one instance does reaches clients of the other, votes count once, and a
/// Redis outage loses nothing committed.
/// </summary>
public sealed partial class ScaleOutThroughProxyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<QaTestClient> _clients = [];
    private ProxiedApps _apps = null!;
    private string _slug = "";
    private string _staffToken = "";

    [GeneratedRegex(@"/r/([A-Za-z0-9_-]+)")]
    private static partial Regex AccessLink();

    public async Task InitializeAsync()
    {
        _apps = await ProxiedApps.StartAsync(withRedis: true);
        using var anonymous = _apps.CreateClient(followRedirects: false);
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = ProxiedApps.StaffEmail, password = ProxiedApps.StaffPassword });
        login.EnsureSuccessStatusCode();
        _staffToken = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        using var staff = _apps.CreateClient(followRedirects: false);
        staff.DefaultRequestHeaders.Authorization = new("Bearer", _staffToken);
        // The apps run on the real clock: a webinar ten minutes from now has its Q&A open.
        var newYork = DateTimeZoneProviders.Tzdb["America/New_York"];
        var start = SystemClock.Instance.GetCurrentInstant().Plus(Duration.FromMinutes(10)).InZone(newYork).LocalDateTime;
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff), "Scale-out Q&A", LocalDateTimePattern.GeneralIso.Format(start.PlusSeconds(-start.Second)));
        _slug = await TestData.CreateWebinarAsync(staff, body);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
        await _apps.DisposeAsync();
    }

    [Fact]
    public async Task Question_ApprovedThroughInstanceA_ReachesAttendeesOnBAndThroughTheProxy()
    {
        var moderator = await ConnectAsync(_apps.A.BaseAddress, _staffToken);
        var asker = await ConnectAsync(_apps.A.BaseAddress, await RegisterAsync("Ada Lovelace"));
        var onB = await ConnectAsync(_apps.B.BaseAddress, await RegisterAsync("Grace Hopper"));
        var viaProxy = await ConnectAsync(_apps.BaseAddress, await RegisterAsync("Mary Somerville"));

        var question = await asker.InvokeAsync("Ask", Guid.NewGuid().ToString("N"), "Who verifies the first small step?", false);
        await moderator.WaitUntilAsync(c => c.Questions.ContainsKey(question.Id), "the moderator on A sees the new question");
        var before = Stopwatch.GetTimestamp();
        var approved = await moderator.InvokeAsync("Approve", question.Id);
        var acknowledged = Stopwatch.GetTimestamp();

        Assert.Equal("Approved", approved.Status);
        await onB.WaitUntilAsync(c => c.Questions.TryGetValue(question.Id, out var q) && q.Status == "Approved", "the attendee on B sees the approval");
        await viaProxy.WaitUntilAsync(c => c.Questions.TryGetValue(question.Id, out var q) && q.Status == "Approved", "the attendee through nginx sees the approval");
        Assert.Equal("Ada Lovelace", onB.Questions[question.Id].Author); // not anonymous
        foreach (var (who, client) in new[] { ("attendee on B", onB), ("attendee through nginx", viaProxy) })
        {
            var at = client.ArrivedAt(question.Id, "Approved")!.Value;
            output.WriteLine($"approve on A → {who}: {Stopwatch.GetElapsedTime(before, at).TotalMilliseconds:0} ms after the call, "
                + $"{Stopwatch.GetElapsedTime(acknowledged, at).TotalMilliseconds:0} ms after its acknowledgement");
        }
    }

    [Fact]
    public async Task Votes_CastOnBothInstancesAndRepeated_CountedOnce()
    {
        var moderator = await ConnectAsync(_apps.A.BaseAddress, _staffToken);
        var tokenX = await RegisterAsync("Ada Lovelace");
        var xOnA = await ConnectAsync(_apps.A.BaseAddress, tokenX);
        var xOnB = await ConnectAsync(_apps.B.BaseAddress, tokenX);
        var yOnB = await ConnectAsync(_apps.B.BaseAddress, await RegisterAsync("Grace Hopper"));
        var question = await xOnA.InvokeAsync("Ask", Guid.NewGuid().ToString("N"), "Which step comes first?", false);
        await moderator.InvokeAsync("Approve", question.Id);
        await yOnB.WaitUntilAsync(c => c.Questions.ContainsKey(question.Id), "the approved question reaches B");

        await Task.WhenAll(xOnA.InvokeAsync("Upvote", question.Id), xOnB.InvokeAsync("Upvote", question.Id), yOnB.InvokeAsync("Upvote", question.Id));
        await yOnB.InvokeAsync("Upvote", question.Id);

        await xOnA.WaitUntilAsync(c => c.Questions[question.Id].Votes == 2, "the batched count on A says 2");
        await yOnB.WaitUntilAsync(c => c.Questions[question.Id].Votes == 2, "the batched count on B says 2");
        var moderatorOnB = await ConnectAsync(_apps.B.BaseAddress, _staffToken);
        Assert.Equal(2, moderatorOnB.Questions[question.Id].Votes);
        Assert.Equal(2, (await moderator.JoinAsync()).Single(q => q.Id == question.Id).Votes);
    }

    [Fact]
    public async Task Redis_StoppedAndStartedAgain_AsksAcknowledgedNothingLostAndClientsConverge()
    {
        var (askerToken, watcherToken) = (await RegisterAsync("Ada Lovelace"), await RegisterAsync("Grace Hopper"));
        var moderator = await ConnectAsync(_apps.A.BaseAddress, _staffToken);
        var asker = await ConnectAsync(_apps.A.BaseAddress, askerToken);
        var onB = await ConnectAsync(_apps.B.BaseAddress, watcherToken);
        var first = await asker.InvokeAsync("Ask", Guid.NewGuid().ToString("N"), "Asked before the outage?", false);
        await moderator.InvokeAsync("Approve", first.Id);
        await onB.WaitUntilAsync(c => c.Questions.ContainsKey(first.Id), "the first approval reaches B");

        _apps.Redis!.Stop();
        // The acknowledgement follows the commit, not the broadcast: every Ask during the outage is answered as saved.
        var acknowledged = new List<LiveQuestion> { first };
        for (var i = 0; i < 3; i++) acknowledged.Add(await asker.InvokeAsync("Ask", Guid.NewGuid().ToString("N"), $"Asked during the outage, number {i}?", false));
        var approvedDuring = await moderator.InvokeAsync("Approve", acknowledged[1].Id);
        Assert.Equal("Approved", approvedDuring.Status);

        await Task.Delay(TimeSpan.FromSeconds(3));
        await _apps.Redis.StartAsync();

        // Once its backplane is back each instance ends its Q&A connections (messages sent meanwhile were lost); the
        // clients reconnect and take the snapshot whole, as the pages do on their own.
        foreach (var client in new[] { moderator, asker, onB })
        {
            await client.WaitUntilAsync(c => c.Connection.State == HubConnectionState.Disconnected, "the connection ended once Redis is back", seconds: 90);
        }

        moderator = await ConnectAsync(_apps.A.BaseAddress, _staffToken);
        asker = await ConnectAsync(_apps.A.BaseAddress, askerToken);
        onB = await ConnectAsync(_apps.B.BaseAddress, watcherToken);
        Assert.Contains(acknowledged[1].Id, onB.Questions.Keys); // approved during the outage: in the snapshot

        // The backplane carries events again once Redis is back.
        var after = await asker.InvokeAsync("Ask", Guid.NewGuid().ToString("N"), "Asked after the outage?", false);
        acknowledged.Add(after);
        await moderator.InvokeAsync("Approve", after.Id);
        await onB.WaitUntilAsync(c => c.Questions.ContainsKey(after.Id), "an approval after the outage reaches B", seconds: 90);

        // Every client takes the server's state whole (the pages' re-Join after a reconnect), on either instance.
        var moderatorOnB = await ConnectAsync(_apps.B.BaseAddress, _staffToken);
        var onA = await moderator.JoinAsync();
        Assert.All(acknowledged, q => Assert.Single(onA, s => s.Id == q.Id));
        Assert.Equal(onA.Length, onA.Select(q => q.Text).Distinct().Count()); // no question saved twice
        Assert.Equal(onA.Select(q => q.Id).Order(), moderatorOnB.Questions.Keys.Order());
        var approved = onA.Where(q => q.Status == "Approved").Select(q => q.Id).Order().ToList();
        await onB.JoinAsync();
        Assert.Equal(approved, onB.Questions.Values.Where(q => q.Status == "Approved").Select(q => q.Id).Order().ToList());
    }

    private async Task<QaTestClient> ConnectAsync(Uri address, string token)
    {
        var client = await QaTestClient.ConnectAsync(address, token, _slug);
        _clients.Add(client);
        return client;
    }

    /// <summary>Registers through the proxy and returns the token from the emailed link (an .eml file either instance wrote).</summary>
    private async Task<string> RegisterAsync(string name)
    {
        var email = $"qa-{Guid.NewGuid():N}@example.org";
        using var client = _apps.CreateClient(followRedirects: false);
        var response = await client.PostAsJsonAsync($"/api/webinars/{_slug}/registrations", new { name, email, organization = "", timeZone = "Europe/Paris" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var until = Environment.TickCount64 + 60_000;
        while (true)
        {
            if (Directory.Exists(_apps.PickupDirectory))
            {
                foreach (var file in Directory.EnumerateFiles(_apps.PickupDirectory, "*.eml"))
                {
                    var message = await MimeMessage.LoadAsync(file);
                    if (message.To.Mailboxes.Any(m => m.Address == email) && AccessLink().Match(message.TextBody ?? "") is { Success: true } link)
                    {
                        return link.Groups[1].Value;
                    }
                }
            }

            Assert.True(Environment.TickCount64 < until, $"no email with a link for {email} within 60 s");
            await Task.Delay(200);
        }
    }
}
