using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;

namespace Webinars.Webinars;

public static class WebinarQueries
{
    /// <summary>Upcoming (not yet ended, soonest first) or past (ended, latest first) webinars.</summary>
    public static async Task<List<Webinar>> ListAsync(
        WebinarsDbContext db, Instant now, string? topicSlug, bool past, bool includeDrafts, CancellationToken ct, int take = 200)
    {
        var query = db.Webinars.Include(w => w.Topic).Include(w => w.Speakers).Include(w => w.TicketTypes).AsSplitQuery().AsNoTracking();
        if (!includeDrafts) query = query.Where(w => w.AnnouncedAt != null);
        if (!string.IsNullOrWhiteSpace(topicSlug)) query = query.Where(w => w.Topic.Slug == topicSlug);
        query = past
            ? query.Where(w => w.EndsAt < now).OrderByDescending(w => w.StartsAt)
            : query.Where(w => w.EndsAt >= now).OrderBy(w => w.StartsAt);
        return await query.Take(take).ToListAsync(ct);
    }
}
