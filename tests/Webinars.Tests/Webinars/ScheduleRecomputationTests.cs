using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Webinars.Tests.Infrastructure;
using Webinars.Webinars;

namespace Webinars.Tests.Webinars;

/// <summary>
/// A new time-zone database is simulated by writing a wrong instant into the database: the local start and host
/// zone are the truth, so recomputation must put the instant back and bump the calendar sequence once.
/// </summary>
public abstract class ScheduleRecomputationTests(WebinarsApp app)
{
    private static readonly Instant RightStart = Instant.FromUtc(2027, 1, 12, 14, 0);

    [Fact]
    public async Task Recompute_AnnouncedWebinarWithStaleInstant_FixesItAndBumpsSequenceOnce()
    {
        var staff = await app.StaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));
        var sequence = await CorruptAsync(slug);

        var moved = await RecomputeAsync();
        var (fixedWebinar, fixedSequence) = await ReadAsync(slug);
        var movedAgain = await RecomputeAsync();
        var (_, sequenceAfterSecondRun) = await ReadAsync(slug);

        Assert.Equal(1, moved);
        Assert.Equal(RightStart, fixedWebinar.StartsAt);
        Assert.Equal(RightStart + Duration.FromMinutes(60), fixedWebinar.EndsAt);
        Assert.Equal(sequence + 1, fixedSequence);
        Assert.Equal(0, movedAgain);
        Assert.Equal(fixedSequence, sequenceAfterSecondRun);
        var view = await WebinarsApiTests.ReadJsonAsync(await app.CreateClient().GetAsync($"/api/webinars/{slug}"), HttpStatusCode.OK);
        Assert.Equal("2027-01-12T14:00:00Z", view.GetProperty("startUtc").GetString());
    }

    [Fact]
    public async Task Recompute_DraftWithStaleInstant_FixesItWithoutBumpingSequence()
    {
        var staff = await app.StaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)), announce: false);
        var sequence = await CorruptAsync(slug);

        await RecomputeAsync();

        var (webinar, fixedSequence) = await ReadAsync(slug);
        Assert.Equal(RightStart, webinar.StartsAt);
        Assert.Equal(sequence, fixedSequence);
    }

    [Fact]
    public async Task Recompute_CancelledWebinar_IsLeftAlone()
    {
        var staff = await app.StaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff)));
        (await staff.PostAsync($"/api/webinars/{slug}/cancel", null)).EnsureSuccessStatusCode();
        var sequence = await CorruptAsync(slug);

        await RecomputeAsync();

        var (webinar, unchangedSequence) = await ReadAsync(slug);
        Assert.Equal(RightStart + Duration.FromHours(1), webinar.StartsAt);
        Assert.Equal(sequence, unchangedSequence);
    }

    [Theory]
    [InlineData("-04:00")]
    [InlineData("-05:00")]
    public async Task Recompute_OverlapStartWithChosenOffset_KeepsTheChoice(string offset)
    {
        var staff = await app.StaffClientAsync();
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff), localStart: "2027-11-07T01:30:00");
        body["offset"] = offset;
        var slug = await TestData.CreateWebinarAsync(staff, body);
        var (before, sequence) = await ReadAsync(slug);

        await RecomputeAsync();

        var (after, sequenceAfter) = await ReadAsync(slug);
        Assert.Equal(before.StartsAt, after.StartsAt);
        Assert.Equal(before.StartOffset, after.StartOffset);
        Assert.Equal(sequence, sequenceAfter);
    }

    /// <summary>Moves the stored instant an hour, as if it had been computed with an older tz database.</summary>
    private async Task<int> CorruptAsync(string slug)
    {
        var sequence = 0;
        await app.WithDbAsync(async db =>
        {
            var webinar = await db.Webinars.SingleAsync(w => w.Slug == slug);
            webinar.StartsAt += Duration.FromHours(1);
            webinar.EndsAt += Duration.FromHours(1);
            await db.SaveChangesAsync();
            sequence = webinar.Sequence;
        });
        return sequence;
    }

    private async Task<(Webinar Webinar, int Sequence)> ReadAsync(string slug)
    {
        Webinar? webinar = null;
        await app.WithDbAsync(async db => webinar = await db.Webinars.AsNoTracking().SingleAsync(w => w.Slug == slug));
        return (webinar!, webinar!.Sequence);
    }

    private Task<int> RecomputeAsync() =>
        app.Services.GetServices<IHostedService>().OfType<ScheduleRecomputation>().Single().RecomputeAsync(CancellationToken.None);
}

public sealed class SqliteScheduleRecomputationTests(SqliteApp app) : ScheduleRecomputationTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresScheduleRecomputationTests(PostgresApp app) : ScheduleRecomputationTests(app), IClassFixture<PostgresApp>;
