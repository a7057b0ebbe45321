using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webinars.Accounts;
using Webinars.LiveQa;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.LiveQa;

/// <summary>The hub over the wire with the real client: roles, visibility, asking, voting, merging; once per database.</summary>
public abstract class QaHubTests(WebinarsApp app)
{
    private static readonly string[] ModeratorMethods = ["Approve", "Dismiss", "Restore", "Pin", "Unpin", "Unmerge"];

    [Fact]
    public async Task Join_EachRole_AllowedOrRefusedWithConnectionKept()
    {
        var world = await QaWorld.CreateAsync(app);
        var other = await QaWorld.CreateAsync(app);
        var (_, waitlisted) = await world.RegisterAsync("Wait Listed", RegistrationStatus.Waitlisted);
        var (_, elsewhere) = await other.RegisterAsync("Other Webinar");

        await using var attendee = await world.AttendeeAsync();
        await using var moderator = await world.ModeratorAsync();
        await using var staff = await world.ModeratorAsync(Roles.Staff);
        await using var anonymous = await world.ConnectAsync(token: null);
        await using var otherAttendee = await world.ConnectAsync(elsewhere);

        Assert.Contains("another webinar", (await Assert.ThrowsAsync<HubException>(() => otherAttendee.JoinAsync(world.Slug))).Message);
        Assert.Contains("Sign in", (await Assert.ThrowsAsync<HubException>(() => anonymous.JoinAsync(world.Slug))).Message);
        Assert.Contains("Join a webinar first", (await Assert.ThrowsAsync<HubException>(() => anonymous.AskAsync("Anyone there?"))).Message);
        Assert.Equal(HubConnectionState.Connected, anonymous.Connection.State);
        Assert.Equal(HubConnectionState.Connected, otherAttendee.Connection.State);
        // A waitlisted registration's token is refused before the hub is reached.
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => world.ConnectAsync(waitlisted));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task Connect_CancelledOrRotatedToken_Refused()
    {
        var world = await QaWorld.CreateAsync(app);
        var (cancelledId, cancelled) = await world.RegisterAsync("Can Celled", RegistrationStatus.Cancelled);

        var forbidden = await Assert.ThrowsAsync<HttpRequestException>(() => world.ConnectAsync(cancelled));
        var unknown = await Assert.ThrowsAsync<HttpRequestException>(() => world.ConnectAsync(AccessTokens.New().Token));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.NotEqual(Guid.Empty, cancelledId);
    }

    [Fact]
    public async Task ModeratorMethods_AttendeeOrUnjoined_RefusedAndNothingChanges()
    {
        var world = await QaWorld.CreateAsync(app);
        await using var author = await world.AttendeeAsync("Author");
        await using var attendee = await world.AttendeeAsync("Other");
        var question = await author.AskAsync("Will the slides be shared?");
        var before = await world.InDbAsync(db => db.Questions.AsNoTracking().SingleAsync(q => q.Id == Guid.Parse(question.Id)));

        foreach (var method in ModeratorMethods)
        {
            var e = await Assert.ThrowsAsync<HubException>(() => attendee.CallAsync(method, question.Id));
            Assert.Contains("Only moderators", e.Message);
        }

        await Assert.ThrowsAsync<HubException>(() => attendee.CallAsync("MarkAnswered", question.Id, "yes"));
        await Assert.ThrowsAsync<HubException>(() => attendee.CallAsync("Merge", question.Id, question.Id));
        var after = await world.InDbAsync(db => db.Questions.AsNoTracking().SingleAsync(q => q.Id == Guid.Parse(question.Id)));
        Assert.Equivalent(before, after);
        Assert.Equal(0, await world.InDbAsync(db => db.AuditEntries.CountAsync(a => a.Subject == question.Id)));
        Assert.Equal(HubConnectionState.Connected, attendee.Connection.State);
    }

    [Fact]
    public async Task AskAndVote_Moderator_Refused()
    {
        var world = await QaWorld.CreateAsync(app);
        await using var moderator = await world.ModeratorAsync(Roles.Staff);

        await Assert.ThrowsAsync<HubException>(() => moderator.AskAsync("Moderators do not ask"));

        Assert.Equal(0, await world.InDbAsync(db => db.Questions.CountAsync(q => q.WebinarId == world.WebinarId)));
    }

    [Fact]
    public async Task Wire_PendingDismissedAndAnonymousNames_NeverReachOtherAttendees()
    {
        var world = await QaWorld.CreateAsync(app);
        await using var author = await world.AttendeeAsync("Secret Name");
        await using var watcher = await world.AttendeeAsync("Watcher", messagePack: true);
        await using var moderator = await world.ModeratorAsync();

        var pending = await author.AskAsync("Pending text stays private", anonymous: true);
        var dismissed = await author.AskAsync("Dismissed text stays private");
        var approved = await author.AskAsync("Approved anonymous question", anonymous: true);
        await moderator.CallAsync("Dismiss", dismissed.Id);
        await moderator.CallAsync("Approve", approved.Id);
        await watcher.WaitForAsync(c => c.Questions.Any(q => q.Id == approved.Id), "the approved question");
        var snapshot = await watcher.JoinAsync(world.Slug);

        var seen = watcher.Questions.Concat(snapshot).ToList();
        Assert.DoesNotContain(seen, q => q.Id == pending.Id || q.Id == dismissed.Id);
        Assert.DoesNotContain(seen, q => q.Author == "Secret Name");
        Assert.All(seen, q => Assert.Null(q.Author));
        Assert.Equal("Approved", Assert.Single(snapshot).Status);
        // The moderator sees everything, with the name; the author sees their own pending one, marked as theirs.
        await moderator.WaitForAsync(c => c.Questions.Any(q => q.Id == pending.Id && q.Author == "Secret Name"), "the name for moderators");
        Assert.Contains(await author.JoinAsync(world.Slug), q => q.Id == pending.Id && q.Mine && q.Status == "Pending");
    }

    [Fact]
    public async Task Ask_RetriedWithSameClientRequestId_OneQuestion()
    {
        var world = await QaWorld.CreateAsync(app);
        await using var attendee = await world.AttendeeAsync();
        var requestId = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => attendee.AskAsync("What about verification?", requestId: requestId)));

        Assert.Single(answers.Select(a => a.Id).Distinct());
        Assert.Equal(1, await world.InDbAsync(db => db.Questions.CountAsync(q => q.WebinarId == world.WebinarId)));
    }

    [Theory]
    [InlineData("  ab  ")]
    [InlineData("")]
    public async Task Ask_TextOutOfBounds_RefusedAndNothingSaved(string text)
    {
        var world = await QaWorld.CreateAsync(app);
        await using var attendee = await world.AttendeeAsync();

        await Assert.ThrowsAsync<HubException>(() => attendee.AskAsync(text));
        await Assert.ThrowsAsync<HubException>(() => attendee.AskAsync(new string('x', Question.MaxTextLength + 1)));

        Assert.Equal(0, await world.InDbAsync(db => db.Questions.CountAsync(q => q.WebinarId == world.WebinarId)));
    }

    [Fact]
    public async Task Upvote_TwiceThenRemove_CountsOnceThenZero()
    {
        var world = await QaWorld.CreateAsync(app, moderated: false);
        await using var author = await world.AttendeeAsync("Author");
        await using var voter = await world.AttendeeAsync("Voter");
        var q = await author.AskAsync("Unmoderated question");

        await voter.CallAsync("Upvote", q.Id);
        var twice = await voter.CallAsync("Upvote", q.Id);
        await author.WaitForAsync(c => c.Events.Any(e => e.Votes?.Any(v => v.Id == q.Id && v.Votes == 1) == true), "the batched count");
        var removed = await voter.CallAsync("RemoveVote", q.Id);

        Assert.Equal("Approved", q.Status);
        Assert.Equal(1, twice.Votes);
        Assert.Equal(0, removed.Votes);
        Assert.Equal(0, await world.InDbAsync(db => db.QuestionVotes.CountAsync(v => v.QuestionId == Guid.Parse(q.Id))));
    }

    [Fact]
    public async Task Upvote_ManyAttendeesAtOnce_EveryVoteCounted()
    {
        var world = await QaWorld.CreateAsync(app, moderated: false);
        await using var author = await world.AttendeeAsync("Author");
        var q = await author.AskAsync("Popular question");
        var voters = new List<QaClient>();
        for (var i = 0; i < 12; i++) voters.Add(await world.AttendeeAsync($"Voter {i}"));

        await Task.WhenAll(voters.SelectMany(v => new[] { v.CallAsync("Upvote", q.Id), v.CallAsync("Upvote", q.Id) }));

        Assert.Equal(12, await world.InDbAsync(db => db.Questions.Where(x => x.Id == Guid.Parse(q.Id)).Select(x => x.Votes).SingleAsync()));
        await author.WaitForAsync(c => c.Events.Any(e => e.Votes?.Any(v => v.Id == q.Id && v.Votes == 12) == true), "12 votes in a batch");
        foreach (var v in voters) await v.DisposeAsync();
    }

    [Fact]
    public async Task Merge_OverlappingVoters_CountedOnceThenUnmergeRestores()
    {
        var world = await QaWorld.CreateAsync(app, moderated: false);
        await using var author = await world.AttendeeAsync("Author");
        await using var moderator = await world.ModeratorAsync();
        var first = await author.AskAsync("Is the treaty verifiable?");
        var second = await author.AskAsync("Can the treaty be verified?");
        await using var a = await world.AttendeeAsync("A");
        await using var b = await world.AttendeeAsync("B");
        await using var c = await world.AttendeeAsync("C");
        await a.CallAsync("Upvote", first.Id);
        await b.CallAsync("Upvote", first.Id);
        await b.CallAsync("Upvote", second.Id);
        await c.CallAsync("Upvote", second.Id);

        var merged = await moderator.CallAsync("Merge", second.Id, first.Id);
        var whileMerged = await a.JoinAsync(world.Slug);
        await moderator.CallAsync("Unmerge", second.Id);
        var afterUnmerge = await a.JoinAsync(world.Slug);

        Assert.Equal(first.Id, merged.MergedInto);
        Assert.Equal(3, Assert.Single(whileMerged).Votes); // A, B and C: B once
        Assert.Equal(2, afterUnmerge.Single(q => q.Id == first.Id).Votes);
        Assert.Equal(2, afterUnmerge.Single(q => q.Id == second.Id).Votes);
        await a.WaitForAsync(x => x.Events.Any(e => e.Kind == $"QuestionRemoved:{second.Id}"), "the merged question removed");
        Assert.Equal(2, await world.InDbAsync(db => db.AuditEntries.CountAsync(e => e.Subject == second.Id && e.Action.StartsWith("question."))));
    }

    [Fact]
    public async Task Pin_Second_UnpinsFirst()
    {
        var world = await QaWorld.CreateAsync(app, moderated: false);
        await using var author = await world.AttendeeAsync();
        await using var moderator = await world.ModeratorAsync();
        var first = await author.AskAsync("First question");
        var second = await author.AskAsync("Second question");

        await moderator.CallAsync("Pin", first.Id);
        await moderator.CallAsync("Pin", second.Id);
        var answered = await moderator.CallAsync("MarkAnswered", second.Id, "  Yes, in March.  ");
        var again = await moderator.CallAsync("MarkAnswered", second.Id, null);

        var pinned = await world.InDbAsync(db => db.Questions.Where(q => q.WebinarId == world.WebinarId && q.Pinned).Select(q => q.Id).ToListAsync());
        Assert.Equal([Guid.Parse(second.Id)], pinned);
        Assert.Equal("Answered", answered.Status);
        Assert.Equal("Yes, in March.", answered.Answer);
        Assert.Equal(answered.AnsweredAt, again.AnsweredAt);
        await Assert.ThrowsAsync<HubException>(() => moderator.CallAsync("Approve", second.Id));
    }

    [Fact]
    public async Task Ask_OutsideWindowOrClosedByStaff_Refused()
    {
        var world = await QaWorld.CreateAsync(app);
        await using var attendee = await world.AttendeeAsync();
        var start = app.Clock.GetCurrentInstant();

        try
        {
            app.Clock.Reset(start - NodaTime.Duration.FromMinutes(30)); // 40 minutes before the start: not yet open
            var early = await Assert.ThrowsAsync<HubException>(() => attendee.AskAsync("Too early"));
            app.Clock.Reset(start + NodaTime.Duration.FromMinutes(10 + 60 + 31)); // 31 minutes after the end
            var late = await Assert.ThrowsAsync<HubException>(() => attendee.AskAsync("Too late"));
            (await world.Staff.PostAsync($"/api/webinars/{world.Slug}/qa/open", null)).EnsureSuccessStatusCode();
            await attendee.AskAsync("Reopened by staff");
            app.Clock.Reset(start);
            (await world.Staff.PostAsync($"/api/webinars/{world.Slug}/qa/close", null)).EnsureSuccessStatusCode();
            var closed = await Assert.ThrowsAsync<HubException>(() => attendee.AskAsync("Closed by staff"));

            Assert.Contains("open 30 minutes before", early.Message);
            Assert.Contains("closed", late.Message);
            Assert.Contains("closed", closed.Message);
            Assert.Equal(["Reopened by staff"], await world.InDbAsync(db => db.Questions.Where(q => q.WebinarId == world.WebinarId).Select(q => q.Text).ToListAsync()));
        }
        finally
        {
            app.Clock.Reset(start);
        }
    }

    [Fact]
    public async Task OpenConnection_RegistrationCancelled_ConnectionClosed()
    {
        var world = await QaWorld.CreateAsync(app);
        var (id, token) = await world.RegisterAsync("Leaving Soon");
        await using var attendee = await world.ConnectAsync(token);
        await attendee.JoinAsync(world.Slug);
        var closed = new TaskCompletionSource();
        attendee.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        await app.WithDbAsync(async db => await db.Registrations.Where(r => r.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RegistrationStatus.Cancelled)));

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Join_AfterServerAbortDuringApprovals_ConvergesToModeratorsView()
    {
        var world = await QaWorld.CreateAsync(app);
        await using var author = await world.AttendeeAsync("Author");
        await using var moderator = await world.ModeratorAsync();
        var asked = new List<LiveQuestion>();
        for (var i = 0; i < 4; i++) asked.Add(await author.AskAsync($"Question number {i}"));
        var (dropperId, token) = await world.RegisterAsync("Dropper");
        var dropper = await world.ConnectAsync(token);
        await dropper.JoinAsync(world.Slug);
        var closed = new TaskCompletionSource();
        dropper.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        // The server drops it (as a restart or a proxy would) while the moderator works.
        app.Services.GetRequiredService<QaConnections>().All.Single(c => c.Caller.RegistrationId == dropperId).Context.Abort();
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await moderator.CallAsync("Approve", asked[0].Id);
        await moderator.CallAsync("Approve", asked[2].Id);
        await moderator.CallAsync("Dismiss", asked[3].Id);
        await using var back = await world.ConnectAsync(token);
        var snapshot = await back.JoinAsync(world.Slug);

        Assert.Equal([asked[0].Id, asked[2].Id], snapshot.Select(q => q.Id).Order());
        await dropper.DisposeAsync();
    }

    [Fact]
    public async Task Export_CsvAndMarkdown_FormulaSafeAndEscaped()
    {
        var world = await QaWorld.CreateAsync(app, moderated: false);
        await using var author = await world.AttendeeAsync("=HYPERLINK(\"x\")");
        await using var moderator = await world.ModeratorAsync();
        var q = await author.AskAsync("=1+1 <script>alert(1)</script>");
        await moderator.CallAsync("MarkAnswered", q.Id, "**Yes**");

        var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/webinars/{world.Slug}/questions");
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        var csv = await (await world.Staff.SendAsync(csvRequest)).Content.ReadAsStringAsync();
        var mdRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/webinars/{world.Slug}/questions");
        mdRequest.Headers.Accept.ParseAdd("text/markdown");
        var md = await (await world.Staff.SendAsync(mdRequest)).Content.ReadAsStringAsync();
        var attendeeTry = await app.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/webinars/{world.Slug}/qa/questions"));

        Assert.Contains("'=1+1 <script>", csv);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", csv);
        Assert.Contains("\\<script\\>", md);
        Assert.Contains("\\*\\*Yes\\*\\*", md);
        Assert.Equal(HttpStatusCode.Unauthorized, attendeeTry.StatusCode);
    }

    [Fact]
    public async Task QuestionsRoute_EachAccept_RegistrationQuestionsExportOrNotAcceptable()
    {
        var world = await QaWorld.CreateAsync(app, moderated: false);
        await using var author = await world.AttendeeAsync("Route Tester");
        await author.AskAsync("Which format do I get back?");
        var anonymous = app.CreateClient();
        async Task<HttpResponseMessage> GetAsync(HttpClient client, string accept, string path = "questions")
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/webinars/{world.Slug}/{path}");
            if (accept.Length > 0) request.Headers.TryAddWithoutValidation("Accept", accept);
            return await client.SendAsync(request);
        }

        // JSON (no Accept, application/json, a browser's */*) is the registration form's questions, for anyone.
        foreach (var accept in new[] { "", "application/json", "text/html,application/xhtml+xml,*/*;q=0.8" })
        {
            var json = await GetAsync(anonymous, accept);
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
            Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("Which format", await json.Content.ReadAsStringAsync());
        }

        // CSV or Markdown is the Q&A export, staff only; the highest quality wins.
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(anonymous, "text/csv")).StatusCode);
        var csv = await GetAsync(world.Staff, "text/csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Which format", await csv.Content.ReadAsStringAsync());
        Assert.Equal("text/markdown", (await GetAsync(world.Staff, "text/csv;q=0.5, text/markdown")).Content.Headers.ContentType?.MediaType);

        // A type neither gives is a 406 naming the header, on both routes.
        foreach (var (client, path) in new[] { (anonymous, "questions"), (world.Staff, "questions"), (world.Staff, "qa/questions") })
        {
            var problem = await Problems.AssertProblemAsync(await GetAsync(client, "image/png", path), HttpStatusCode.NotAcceptable);
            Assert.Contains("text/csv", problem.GetProperty("errors").GetProperty("Accept")[0].GetString());
        }
    }

    [Fact]
    public async Task Attendance_ConnectedDuringWebinar_MinutesAndLiveCountForStaff()
    {
        var world = await QaWorld.CreateAsync(app);
        var (id, token) = await world.RegisterAsync("Present Person");
        await using var attendee = await world.ConnectAsync(token);
        await attendee.JoinAsync(world.Slug);
        var start = app.Clock.GetCurrentInstant();

        try
        {
            app.Clock.Advance(NodaTime.Duration.FromMinutes(5));
            await WaitUntilAsync(() => world.InDbAsync(db => db.Attendances.AnyAsync(a => a.RegistrationId == id && a.Minutes == 5)), "5 minutes counted");
            var list = await world.Staff.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/webinars/{world.Slug}/registrations");
            var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/webinars/{world.Slug}/registrations");
            csvRequest.Headers.Accept.ParseAdd("text/csv");
            var csv = await (await world.Staff.SendAsync(csvRequest)).Content.ReadAsStringAsync();
            var state = await world.Staff.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/webinars/{world.Slug}/qa");
            var page = await world.Staff.GetStringAsync($"/staff/webinars/{world.Slug}/registrants");

            Assert.Equal(5, list.EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == id).GetProperty("attendedMinutes").GetInt32());
            Assert.Contains("Attended minutes", csv);
            Assert.Equal(1, state.GetProperty("liveAttendees").GetInt32());
            Assert.Contains("1 here now", page);
        }
        finally
        {
            app.Clock.Reset(start);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (timeout.IsCancellationRequested) throw new TimeoutException($"Waited 30 s for {what}.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Negotiate_ForeignOrigin_Refused()
    {
        var world = await QaWorld.CreateAsync(app);
        var (_, token) = await world.RegisterAsync("Origin Test");
        var client = app.CreateClient();

        var foreign = new HttpRequestMessage(HttpMethod.Post, $"/hubs/qa/negotiate?negotiateVersion=1&access_token={token}");
        foreign.Headers.Add("Origin", "https://evil.example");
        var own = new HttpRequestMessage(HttpMethod.Post, $"/hubs/qa/negotiate?negotiateVersion=1&access_token={token}");
        own.Headers.Add("Origin", "http://localhost:5080");

        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(foreign)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(own)).StatusCode);
    }
}

public sealed class SqliteQaHubTests(SqliteQaApp app) : QaHubTests(app), IClassFixture<SqliteQaApp>;

public sealed class PostgresQaHubTests(PostgresQaApp app) : QaHubTests(app), IClassFixture<PostgresQaApp>;

/// <summary>The per-attendee limits (same code on both databases; SQLite only).</summary>
public sealed class QaLimitsTests(SqliteQaLimitedApp app) : IClassFixture<SqliteQaLimitedApp>
{
    [Fact]
    public async Task Ask_FourthInAMinute_RefusedConnectionKept()
    {
        var world = await QaWorld.CreateAsync(app);
        await using var attendee = await world.AttendeeAsync();

        for (var i = 0; i < QaLimits.QuestionsPerMinute; i++) await attendee.AskAsync($"Question {i}");
        var refused = await Assert.ThrowsAsync<HubException>(() => attendee.AskAsync("One too many"));

        Assert.Contains("at most 3 questions a minute", refused.Message);
        Assert.Equal(HubConnectionState.Connected, attendee.Connection.State);
        Assert.Equal(3, await world.InDbAsync(db => db.Questions.CountAsync(q => q.WebinarId == world.WebinarId)));
    }
}
