using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Webinars.Data;
using Webinars.Webinars;

namespace Webinars.Registrations;

/// <summary>A webinar someone registers for, with its registration questions in order.</summary>
public sealed record RegistrationTarget(Webinar Webinar, List<RegistrationQuestion> Questions);

/// <summary>When a webinar takes registrations; shared by the API and the form.</summary>
public static class RegistrationRules
{
    private static readonly ZonedDateTimePattern When = ZonedDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm '('z')'", null);

    /// <summary>Why a webinar refuses new registrations now (a sentence for people), or null when it takes them.</summary>
    public static string? Refusal(Webinar webinar, Instant now)
    {
        if (webinar.Status == WebinarStatus.Cancelled) return "This webinar was cancelled, so it takes no registrations.";
        if (webinar.Status is WebinarStatus.Ended or WebinarStatus.Published || now >= webinar.EndsAt)
        {
            return "This webinar has ended, so it takes no more registrations.";
        }

        var host = DateTimeZoneProviders.Tzdb.GetZoneOrNull(webinar.HostZoneId) ?? DateTimeZone.Utc;
        if (webinar.RegistrationOpensAt is Instant opens && now < opens)
        {
            return $"Registration is not open yet: it opens {When.Format(opens.InZone(host))}.";
        }

        if (webinar.RegistrationClosesAt is Instant closes && now >= closes)
        {
            return $"Registration is closed: it closed {When.Format(closes.InZone(host))}.";
        }

        return null;
    }

    /// <summary>An announced webinar with what its page shows (topic, speakers, ticket types), in one query.</summary>
    public static Task<Webinar?> FindPublicAsync(WebinarsDbContext db, string slug, CancellationToken ct) =>
        db.Webinars.Include(w => w.Topic).Include(w => w.Speakers).Include(w => w.TicketTypes).AsSingleQuery()
            .FirstOrDefaultAsync(w => w.Slug == slug && w.AnnouncedAt != null, ct);

    /// <summary>Just the announced webinar's own row.</summary>
    public static Task<Webinar?> FindAnnouncedAsync(WebinarsDbContext db, string slug, CancellationToken ct) =>
        db.Webinars.FirstOrDefaultAsync(w => w.Slug == slug && w.AnnouncedAt != null, ct);

    /// <summary>What registering needs — the announced webinar's row (not tracked) and its questions — in one query.</summary>
    public static Task<RegistrationTarget?> FindTargetAsync(WebinarsDbContext db, string slug, CancellationToken ct) =>
        db.Webinars.AsNoTracking()
            .Where(w => w.Slug == slug && w.AnnouncedAt != null)
            .OrderBy(w => w.Id) // the slug is unique; the order only keeps EF Core from warning about LIMIT with a collection
            .Select(w => new RegistrationTarget(w, db.Set<RegistrationQuestion>().Where(q => q.WebinarId == w.Id).OrderBy(q => q.Order).ToList()))
            .FirstOrDefaultAsync(ct);

    public static Task<List<RegistrationQuestion>> QuestionsAsync(WebinarsDbContext db, Guid webinarId, CancellationToken ct) =>
        db.Set<RegistrationQuestion>().AsNoTracking().Where(q => q.WebinarId == webinarId).OrderBy(q => q.Order).ToListAsync(ct);

    /// <summary>When confirmed attendees start seeing the join link.</summary>
    public static Instant JoinLinkOpensAt(Webinar webinar, RegistrationOptions options) =>
        webinar.StartsAt - Duration.FromMinutes(options.JoinLinkOpensBeforeMinutes);

    public static string Message(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Confirmed => "You're registered. Check your email: we sent your link to manage your registration.",
        RegistrationStatus.Waitlisted => "The webinar is full, so you're on the waitlist; we'll email you if a seat frees up. Check your email: we sent your link.",
        RegistrationStatus.PendingApproval => "Your registration is pending approval; we'll email you the outcome. Check your email: we sent your link.",
        RegistrationStatus.PendingPayment => "A seat is held for you while you pay: complete the payment on the checkout page to confirm it.",
        _ => string.Create(CultureInfo.InvariantCulture, $"Your registration is {status}. Check your email: we sent your link."),
    };
}
