using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.LiveQa;

/// <summary>Instance A and B of the app on one PostgreSQL database, joined by a real Redis backplane.</summary>
public sealed class QaScaleOutTests() : TwoInstances<PostgresQaApp>("qa2")
{
    protected override PostgresQaApp Instance(string database) => new RedisQaApp(database);

    [Fact]
    public async Task TwoInstances_ApprovalOnA_ReachesAttendeeOnB()
    {
        var world = await QaWorld.CreateAsync(A);
        var onB = new QaWorld(B, world.Slug, world.WebinarId, world.Staff);
        await using var author = await world.AttendeeAsync("Author on A");
        await using var moderator = await world.ModeratorAsync();
        await using var watcher = await onB.AttendeeAsync("Watcher on B");

        var q = await author.AskAsync("Does this reach the other instance?");
        await moderator.CallAsync("Approve", q.Id);

        await watcher.WaitForAsync(c => c.Questions.Any(x => x.Id == q.Id && x.Status == "Approved"), "the approval from instance A");
    }

    [Fact]
    public async Task TwoInstances_VotesOnBoth_EachVoterCountedOnce()
    {
        var world = await QaWorld.CreateAsync(A, moderated: false);
        var onB = new QaWorld(B, world.Slug, world.WebinarId, world.Staff);
        await using var author = await world.AttendeeAsync("Author");
        var q = await author.AskAsync("Count me on both instances");
        var (_, token) = await world.RegisterAsync("Double Voter");
        await using var onA1 = await world.ConnectAsync(token);
        await using var onB1 = await onB.ConnectAsync(token);
        await onA1.JoinAsync(world.Slug);
        await onB1.JoinAsync(world.Slug);
        await using var other = await onB.AttendeeAsync("Other Voter");

        await Task.WhenAll(onA1.CallAsync("Upvote", q.Id), onB1.CallAsync("Upvote", q.Id), other.CallAsync("Upvote", q.Id));

        await author.WaitForAsync(c => c.Events.Any(e => e.Votes?.Any(v => v.Id == q.Id && v.Votes == 2) == true), "2 votes seen on A");
        Assert.Equal(2, (await other.JoinAsync(world.Slug)).Single(x => x.Id == q.Id).Votes);
    }

    /// <summary>An instance on the test's shared database (made and dropped by the test) with the Redis backplane.</summary>
    private sealed class RedisQaApp(string database) : PostgresQaApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(TwoInstances.Settings(database)) { ["Qa:SweepSeconds"] = "1" };
    }
}
