using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Webinars.Accounts;
using Webinars.LiveQa;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.LiveQa;

/// <summary>The per-webinar presenter link: the presenter view without an account, read-only, ended by rotation.</summary>
public abstract class PresenterLinkTests(WebinarsApp app)
{
    [Fact]
    public async Task PresenterLink_MadeByStaff_OpensPageAndHubReadOnly()
    {
        var world = await QaWorld.CreateAsync(app);
        await using var author = await world.AttendeeAsync("Asker");
        await using var moderator = await world.ModeratorAsync();
        var pending = await author.AskAsync("Still waiting for a moderator?");
        var approved = await author.AskAsync("Approved and pinned?", anonymous: true);
        await moderator.CallAsync("Approve", approved.Id);
        await moderator.CallAsync("Pin", approved.Id);

        var key = KeyOf(await MakeLinkAsync(world));
        var page = await Anonymous().GetAsync($"/webinars/{world.Slug}/present?key={key}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"data-presenter-key=\"{key}\"", await page.Content.ReadAsStringAsync());

        await using var presenter = await world.ConnectAsync(token: null, presenterKey: key);
        var snapshot = await presenter.JoinAsync(world.Slug);
        var shown = Assert.Single(snapshot);
        Assert.Equal(approved.Id, shown.Id);
        Assert.True(shown.Pinned);
        Assert.Null(shown.Author); // what attendees see: an anonymous author's name stays with the moderators
        foreach (var (method, args) in new (string, object?[])[]
                 {
                     ("Ask", [Guid.NewGuid().ToString("N"), "May a presenter screen ask?", false]), ("Upvote", [approved.Id]),
                     ("Approve", [pending.Id]), ("Unpin", [approved.Id]), ("Dismiss", [approved.Id]),
                 })
        {
            await Assert.ThrowsAsync<HubException>(() => presenter.CallAsync(method, args));
        }

        var next = await author.AskAsync("Does the presenter see this one live?");
        await moderator.CallAsync("Approve", next.Id);
        await presenter.WaitForAsync(c => c.Questions.Any(q => q.Id == next.Id && q.Status == "Approved"), "the approval on the presenter screen");
        Assert.DoesNotContain(presenter.Questions, q => q.Id == pending.Id);
        var after = await moderator.JoinAsync(world.Slug);
        Assert.Equal("Pending", after.Single(q => q.Id == pending.Id).Status);
        Assert.True(after.Single(q => q.Id == approved.Id).Pinned);
        Assert.Equal(0, after.Single(q => q.Id == approved.Id).Votes);
    }

    [Fact]
    public async Task PresenterLink_Rotated_OldKeyRefusedOnPageAndHub()
    {
        var world = await QaWorld.CreateAsync(app);
        var old = KeyOf(await MakeLinkAsync(world));
        var current = KeyOf(await MakeLinkAsync(world));

        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous().GetAsync($"/webinars/{world.Slug}/present?key={old}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous().GetAsync($"/webinars/{world.Slug}/present?key=not-a-key")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Anonymous().GetAsync($"/webinars/{world.Slug}/present?key={current}")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Anonymous().GetAsync($"/webinars/{world.Slug}/present")).StatusCode); // to sign in
        await using var withOld = await world.ConnectAsync(token: null, presenterKey: old);
        Assert.Contains("presenter link", (await Assert.ThrowsAsync<HubException>(() => withOld.JoinAsync(world.Slug))).Message);
        await using var withCurrent = await world.ConnectAsync(token: null, presenterKey: current);
        Assert.Empty(await withCurrent.JoinAsync(world.Slug));
    }

    [Fact]
    public async Task PresenterLink_NotStaff_Refused()
    {
        var world = await QaWorld.CreateAsync(app);
        var moderator = await app.CreateClientWithRoleAsync(Roles.Moderator);

        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.PostAsync($"/api/webinars/{world.Slug}/qa/presenter-link", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsync($"/api/webinars/{world.Slug}/qa/presenter-link", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Staff.PostAsync("/api/webinars/no-such-webinar/qa/presenter-link", null)).StatusCode);
    }

    private static async Task<Uri> MakeLinkAsync(QaWorld world)
    {
        var response = await world.Staff.PostAsync($"/api/webinars/{world.Slug}/qa/presenter-link", null);
        response.EnsureSuccessStatusCode();
        var link = new Uri((await response.Content.ReadFromJsonAsync<PresenterLink>())!.Url);
        Assert.Equal($"/webinars/{world.Slug}/present", link.AbsolutePath);
        return link;
    }

    private static string KeyOf(Uri link) => link.Query["?key=".Length..];

    private HttpClient Anonymous() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
}

public sealed class SqlitePresenterLinkTests(SqliteQaApp app) : PresenterLinkTests(app), IClassFixture<SqliteQaApp>;

public sealed class PostgresPresenterLinkTests(PostgresQaApp app) : PresenterLinkTests(app), IClassFixture<PostgresQaApp>;
