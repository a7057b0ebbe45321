using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Publishing;

public enum PublishOutcome
{
    Published,
    NoRecording,
    NoRecap,
    NotEnded,
    WrongState,
}

/// <summary>One YouTube step as the staff page shows it.</summary>
public sealed record StepView(PublishingStep Step, string Status, string? Detail, Instant? NextAttemptAt);

/// <summary>Recording, recap and publishing: the one service the endpoints and the staff page share.</summary>
public sealed class PublishingService(
    WebinarsDbContext db, IClock clock, IWebinarHappenings happenings, IOptions<YouTubeOptions> youTube, IOptions<SiteOptions> site)
{
    /// <summary>A webinar with its speakers, topic and publication, tracked for changes.</summary>
    public Task<Webinar?> FindAsync(string slug, CancellationToken ct) =>
        db.Webinars.Include(w => w.Topic).Include(w => w.Speakers).AsSingleQuery().FirstOrDefaultAsync(w => w.Slug == slug, ct);

    public async Task SetRecordingAsync(Webinar webinar, YouTubeLink link, int offsetSeconds, string actor, CancellationToken ct)
    {
        var p = webinar.Publication ??= new Publication();
        var changed = p.VideoId != link.VideoId;
        p.VideoId = link.VideoId;
        p.VideoOffsetSeconds = offsetSeconds;
        if (changed)
        {
            p.VideoTitle = p.VideoThumbnailUrl = p.VideoPrivacy = p.VideoProcessing = null;
            p.VideoDurationSeconds = null;
        }

        webinar.UpdatedAt = clock.GetCurrentInstant();
        Audit(actor, "recording.set", webinar.Slug, link.VideoId);
        if (youTube.Value.IsConfigured) await EnsureJobsAsync(webinar, changed, ct);
        await db.SaveChangesAsync(ct);
    }

    public async Task<string> DraftAsync(Webinar webinar, CancellationToken ct) =>
        RecapDraft.Write(webinar, await happenings.LoadAsync(webinar.Id, ct));

    /// <summary>Saves a new revision (sanitised HTML made now, stored beside the Markdown); returns its number.</summary>
    public async Task<RecapRevision> SaveRecapAsync(Webinar webinar, string markdown, string actor, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var p = webinar.Publication ??= new Publication();
        var revision = new RecapRevision
        {
            WebinarId = webinar.Id,
            Number = p.RecapRevision + 1,
            Markdown = markdown,
            Html = Markdown.ToSafeHtml(markdown),
            EditedBy = actor,
            EditedAt = now,
        };
        db.Set<RecapRevision>().Add(revision);
        p.RecapMarkdown = revision.Markdown;
        p.RecapHtml = revision.Html;
        p.RecapRevision = revision.Number;
        p.RecapEditedAt = now;
        p.RecapEditedBy = actor;
        if (p.IsPublished)
        {
            p.RecapUpdatedAt = now;
            // Feeds show the item as updated; its id stays.
            webinar.UpdatedAt = now;
        }

        Audit(actor, "recap.save", webinar.Slug, $"revision {revision.Number}");
        await db.SaveChangesAsync(ct);
        return revision;
    }

    public Task<List<RecapRevision>> RevisionsAsync(Webinar webinar, CancellationToken ct) =>
        db.Set<RecapRevision>().AsNoTracking().Where(r => r.WebinarId == webinar.Id).OrderByDescending(r => r.Number).ToListAsync(ct);

    /// <summary>
    /// Puts the recording and recap on the page and in the feeds, emails each confirmed registrant once and queues the
    /// YouTube steps. Publishing again (after an edit) changes nothing already done and sends nothing again.
    /// </summary>
    public async Task<PublishOutcome> PublishAsync(Webinar webinar, string actor, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        if (webinar.Status is WebinarStatus.Draft or WebinarStatus.Cancelled) return PublishOutcome.WrongState;
        if (now < webinar.EndsAt) return PublishOutcome.NotEnded;
        if (webinar.Publication?.VideoId is null) return PublishOutcome.NoRecording;
        if (string.IsNullOrWhiteSpace(webinar.Publication.RecapMarkdown)) return PublishOutcome.NoRecap;

        var what = await happenings.LoadAsync(webinar.Id, ct);
        // Two instances publishing at once: the loser's insert of an already-queued message breaks the unique index;
        // it reloads and finds nothing left to do.
        for (var attempt = 1; ; attempt++)
        {
            var p = webinar.Publication!;
            if (p.PublishedAt is null)
            {
                p.PublishedAt = now;
                webinar.UpdatedAt = now;
                webinar.Status = WebinarStatus.Published;
                Audit(actor, "recap.publish", webinar.Slug, $"revision {p.RecapRevision}");
            }

            await PublishingEmails.QueueAsync(db, webinar, what, site.Value.Link($"/webinars/{webinar.Slug}"), now, ct);
            if (youTube.Value.IsConfigured) await EnsureJobsAsync(webinar, restart: false, ct);
            try
            {
                await db.SaveChangesAsync(ct);
                return PublishOutcome.Published;
            }
            catch (DbUpdateException e) when (attempt < 3 && (DbErrors.IsUniqueViolation(e) || DbErrors.IsTransient(e)))
            {
                db.ChangeTracker.Clear();
                webinar = (await FindAsync(webinar.Slug, ct))!;
            }
        }
    }

    public async Task<IReadOnlyList<StepView>> StepsAsync(Webinar webinar, CancellationToken ct)
    {
        var steps = StepsFor(webinar);
        if (!youTube.Value.IsConfigured) return steps.Select(s => new StepView(s, "not configured", "Set YouTube:CredentialsFile to let publishing update YouTube.", null)).ToList();
        var jobs = await db.Set<PublishingJob>().AsNoTracking().Where(j => j.WebinarId == webinar.Id).ToListAsync(ct);
        return steps.Select(s => jobs.FirstOrDefault(j => j.Step == s) is { } j
                ? new StepView(s, j.Status.ToString().ToLowerInvariant(), j.LastError, j.Status is PublishingJobStatus.Pending or PublishingJobStatus.Deferred ? j.NextAttemptAt : null)
                : new StepView(s, "not started", null, null))
            .ToList();
    }

    /// <summary>The steps that apply: reading the video always; the writes only once published and when configured.</summary>
    private List<PublishingStep> StepsFor(Webinar webinar)
    {
        var o = youTube.Value;
        var steps = new List<PublishingStep> { PublishingStep.ReadVideo };
        if (o.MakePublic) steps.Add(PublishingStep.MakePublic);
        if (o.AppendRecapLink) steps.Add(PublishingStep.AppendRecapLink);
        if (o.Playlists.ContainsKey(webinar.Topic.Slug)) steps.Add(PublishingStep.AddToPlaylist);
        return steps;
    }

    private async Task EnsureJobsAsync(Webinar webinar, bool restart, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var jobs = await db.Set<PublishingJob>().Where(j => j.WebinarId == webinar.Id).ToListAsync(ct);
        var wanted = StepsFor(webinar).Where(s => s == PublishingStep.ReadVideo || webinar.Publication?.IsPublished == true);
        foreach (var step in wanted)
        {
            var job = jobs.FirstOrDefault(j => j.Step == step);
            if (job is null)
            {
                db.Set<PublishingJob>().Add(new PublishingJob { WebinarId = webinar.Id, Step = step, Status = PublishingJobStatus.Pending, NextAttemptAt = now });
            }
            else if (restart)
            {
                // A different video: every step is to be done for it (each checks before it writes).
                job.Status = PublishingJobStatus.Pending;
                job.NextAttemptAt = now;
                job.Attempts = 0;
                job.LastError = null;
                job.DoneAt = null;
            }
        }
    }

    private void Audit(string actor, string action, string subject, string details) =>
        db.AuditEntries.Add(new AuditEntry { At = clock.GetCurrentInstant(), Actor = actor, Action = action, Subject = subject, Details = details });
}
