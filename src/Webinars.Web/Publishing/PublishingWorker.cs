using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Registrations;

namespace Webinars.Publishing;

/// <summary>
/// Works through due YouTube steps, like the outbox dispatcher: each instance claims one job at a time with a lease (a
/// conditional update, so only one instance wins), runs it, and records the outcome. A crash leaves the lease to run
/// out and the job is taken again; the step's own checks make the repeat harmless.
/// </summary>
public sealed class PublishingWorker(IServiceScopeFactory scopes, IClock clock, IOptions<YouTubeOptions> options, ILogger<PublishingWorker> logger)
    : BackgroundService
{
    private static readonly Duration Lease = Duration.FromMinutes(5);
    private readonly string _instance = InstanceId();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsConfigured) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds));
        do
        {
            try
            {
                while (await RunOnceAsync(stoppingToken) && !stoppingToken.IsCancellationRequested)
                {
                    // one done: there may be more due right away
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Publishing steps failed; trying again shortly");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Claims and runs one due job; false when none was due.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        var now = clock.GetCurrentInstant();
        var jobs = db.Set<PublishingJob>();
        var candidate = await jobs.AsNoTracking()
            .Where(j => (j.Status == PublishingJobStatus.Pending || j.Status == PublishingJobStatus.Deferred) && j.NextAttemptAt <= now
                && (j.ClaimedUntil == null || j.ClaimedUntil < now))
            .OrderBy(j => j.NextAttemptAt).ThenBy(j => j.Step)
            .Select(j => j.Id).FirstOrDefaultAsync(ct);
        if (candidate == Guid.Empty) return false;
        var claimed = await jobs.Where(j => j.Id == candidate && (j.ClaimedUntil == null || j.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.ClaimedUntil, now + Lease).SetProperty(j => j.ClaimedBy, _instance), ct);
        if (claimed == 0) return true; // another instance took it; look for the next

        var job = await jobs.FirstAsync(j => j.Id == candidate, ct);
        job.Attempts++;
        try
        {
            var note = await scope.ServiceProvider.GetRequiredService<PublishingSteps>().RunAsync(job, ct);
            job.Status = PublishingJobStatus.Done;
            job.DoneAt = clock.GetCurrentInstant();
            job.LastError = note;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            Record(job, e);
        }

        job.ClaimedUntil = null;
        job.ClaimedBy = null;
        try
        {
            // The step's own changes (what was read from YouTube) are saved with its outcome, in one transaction.
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e) when (DbErrors.IsTransient(e))
        {
            // Staff saved the same webinar meanwhile, or SQLite stayed busy: the outcome is lost, so the job is released
            // to run again now rather than sit claimed until its lease runs out (the step checks before it writes).
            logger.LogWarning(e, "Recording the outcome of {Step} of {Webinar} lost a race; running it again", job.Step, job.WebinarId);
            db.ChangeTracker.Clear();
            await jobs.Where(j => j.Id == candidate && j.ClaimedBy == _instance)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.ClaimedUntil, (Instant?)null).SetProperty(j => j.ClaimedBy, (string?)null), CancellationToken.None);
        }

        return true;
    }

    private static string InstanceId()
    {
        var id = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        return id.Length <= 100 ? id : id[^100..];
    }

    private void Record(PublishingJob job, Exception e)
    {
        var now = clock.GetCurrentInstant();
        var message = e is PublishingSteps.StepRefusedException ? e.Message : YouTubeErrors.Describe(e);
        job.LastError = message.Length <= PublishingJob.MaxErrorLength ? message : message[..PublishingJob.MaxErrorLength];
        switch (e is PublishingSteps.StepRefusedException ? YouTubeFailureKind.Refused : YouTubeErrors.Classify(e))
        {
            case YouTubeFailureKind.QuotaExceeded:
                job.Status = PublishingJobStatus.Deferred;
                job.NextAttemptAt = YouTubeErrors.QuotaResetAfter(now);
                logger.LogWarning("YouTube quota exceeded; {Step} of {Webinar} deferred to {At}", job.Step, job.WebinarId, job.NextAttemptAt);
                break;
            case YouTubeFailureKind.Transient:
                job.Status = PublishingJobStatus.Pending;
                job.NextAttemptAt = now + Duration.FromMinutes(Math.Min(60, 1 << Math.Min(job.Attempts, 6)));
                logger.LogWarning("{Step} of {Webinar} failed (attempt {Attempts}); next at {At}: {Error}", job.Step, job.WebinarId, job.Attempts, job.NextAttemptAt, message);
                break;
            default:
                job.Status = PublishingJobStatus.Failed;
                logger.LogError("{Step} of {Webinar} refused by YouTube; not retrying: {Error}", job.Step, job.WebinarId, message);
                break;
        }
    }
}
