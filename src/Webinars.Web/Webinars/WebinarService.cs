using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;
using Webinars.Infrastructure;

namespace Webinars.Webinars;

public enum ChangeOutcome
{
    Done,
    NotFound,
    WrongState,

    /// <summary>Someone else changed the webinar since the editor read it (its <see cref="Webinar.Version"/> moved on).</summary>
    ChangedMeanwhile,

    /// <summary>Refused by an <see cref="IAnnouncementCheck"/>; <see cref="WebinarService.AnnounceRefusal"/> says why.</summary>
    Refused,
}

/// <summary>What the staff API and the staff pages share: saving a validated draft and moving a webinar's status.</summary>
public sealed class WebinarService(
    WebinarsDbContext db, IClock clock, IEnumerable<IWebinarObserver> observers, IEnumerable<ISeatsAddedHandler> seatsAdded,
    IEnumerable<IAnnouncementCheck> announcementChecks, ILogger<WebinarService> logger)
{
    public async Task<Webinar> CreateAsync(WebinarDraft draft, Guid topicId, string actor, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var baseSlug = Slugs.From(draft.Title);
        Task<bool> Taken(string s) => db.Webinars.AnyAsync(w => w.Slug == s, ct);
        var webinar = new Webinar
        {
            Slug = await Slugs.UniqueAsync(baseSlug, Taken),
            Title = draft.Title,
            HostZoneId = draft.HostZone.Id,
            CreatedAt = now,
        };
        Apply(webinar, draft, topicId, now);
        db.Webinars.Add(webinar);
        var audit = Audit(actor, "webinar.create", webinar.Slug, draft.Start.ToString());
        await Slugs.SaveAsync(db, baseSlug, () => webinar.Slug, Taken, s => webinar.Slug = audit.Subject = s, ct);
        return webinar;
    }

    /// <param name="readVersion">The <see cref="Webinar.Version"/> the editor started from, when the client sent it.</param>
    /// <exception cref="DbUpdateConcurrencyException">Another change was saved between loading and saving.</exception>
    public async Task<ChangeOutcome> UpdateAsync(Webinar webinar, WebinarDraft draft, Guid topicId, int? readVersion, string actor, CancellationToken ct)
    {
        if (readVersion is int read && read != webinar.Version) return ChangeOutcome.ChangedMeanwhile;
        if (webinar.Status is WebinarStatus.Cancelled or WebinarStatus.Published) return ChangeOutcome.WrongState;
        var (previousStart, previousEnd, previousCapacity) = (webinar.StartsAt, webinar.EndsAt, webinar.Capacity);
        Apply(webinar, draft, topicId, clock.GetCurrentInstant());
        // The new speaker rows carry keys made in code; EF would otherwise take them for existing rows and UPDATE them.
        foreach (var speaker in webinar.Speakers) db.Entry(speaker).State = EntityState.Added;
        if (webinar.StartsAt != previousStart || webinar.EndsAt != previousEnd)
        {
            await RescheduledAsync(webinar, previousStart, previousEnd, ct);
        }

        Audit(actor, "webinar.update", webinar.Slug, draft.Start.ToString());
        await db.SaveChangesAsync(ct);
        if (previousCapacity is int before && (webinar.Capacity is null || webinar.Capacity > before))
        {
            foreach (var handler in seatsAdded) await handler.SeatsAddedAsync(webinar, ct);
        }

        return ChangeOutcome.Done;
    }

    /// <summary>Records a moved start (an edit, or a new time-zone database); the caller saves.</summary>
    public async Task RescheduledAsync(Webinar webinar, Instant previousStart, Instant previousEnd, CancellationToken ct)
    {
        if (webinar.Status == WebinarStatus.Draft) return; // nobody has it in a calendar yet
        webinar.Sequence++;
        foreach (var observer in observers) await observer.RescheduledAsync(db, webinar, previousStart, previousEnd, ct);
    }

    public async Task<ChangeOutcome> AnnounceAsync(Webinar webinar, string actor, CancellationToken ct)
    {
        if (!WebinarTransitions.CanMove(webinar.Status, WebinarStatus.Announced)) return ChangeOutcome.WrongState;
        if (AnnounceRefusal(webinar) is not null) return ChangeOutcome.Refused;
        webinar.Status = WebinarStatus.Announced;
        webinar.AnnouncedAt = clock.GetCurrentInstant();
        webinar.UpdatedAt = clock.GetCurrentInstant();
        webinar.Version++;
        Audit(actor, "webinar.announce", webinar.Slug, "");
        await db.SaveChangesAsync(ct);
        return ChangeOutcome.Done;
    }

    /// <summary>Why the webinar cannot be announced now (a sentence for staff), or null.</summary>
    public string? AnnounceRefusal(Webinar webinar) => announcementChecks.Select(c => c.Refusal(webinar)).FirstOrDefault(r => r is not null);

    public async Task<ChangeOutcome> CancelAsync(Webinar webinar, string actor, CancellationToken ct)
    {
        if (!WebinarTransitions.CanMove(webinar.Status, WebinarStatus.Cancelled)) return ChangeOutcome.WrongState;
        var wasPublic = webinar.IsPublic;
        webinar.Status = WebinarStatus.Cancelled;
        webinar.Sequence++;
        webinar.UpdatedAt = clock.GetCurrentInstant();
        webinar.Version++;
        if (wasPublic)
        {
            foreach (var observer in observers) await observer.CancelledAsync(db, webinar, ct);
        }

        Audit(actor, "webinar.cancel", webinar.Slug, "");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Webinar {Slug} cancelled by {Actor}", webinar.Slug, actor);
        return ChangeOutcome.Done;
    }

    private static void Apply(Webinar w, WebinarDraft d, Guid topicId, Instant now)
    {
        w.TopicId = topicId;
        w.Title = d.Title;
        w.Summary = d.Summary;
        w.SummaryHtml = Markdown.ToSafeHtml(d.Summary);
        w.HostZoneId = d.HostZone.Id;
        w.LocalStart = d.Start.LocalDateTime;
        w.StartOffset = d.Start.Offset;
        w.StartsAt = d.Start.ToInstant();
        w.DurationMinutes = d.DurationMinutes;
        w.EndsAt = w.StartsAt + Duration.FromMinutes(d.DurationMinutes);
        w.DisplayZoneIds = d.DisplayZoneIds;
        w.Capacity = d.Capacity;
        w.Waitlist = d.Waitlist;
        w.RequiresApproval = d.RequiresApproval;
        w.PriceAmount = d.PriceAmount;
        w.PriceCurrency = d.PriceCurrency;
        w.JoinUrl = d.JoinUrl;
        w.RegistrationOpensAt = d.RegistrationOpensAt;
        w.RegistrationClosesAt = d.RegistrationClosesAt;
        w.UpdatedAt = now;
        w.Version++;
        w.Speakers.Clear();
        w.Speakers.AddRange(d.Speakers);
    }

    private AuditEntry Audit(string actor, string action, string subject, string details)
    {
        var entry = new AuditEntry { At = clock.GetCurrentInstant(), Actor = actor, Action = action, Subject = subject, Details = details };
        db.AuditEntries.Add(entry);
        return entry;
    }
}
