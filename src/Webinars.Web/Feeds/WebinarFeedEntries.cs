using System.Net;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;
using Webinars.Publishing;
using Webinars.Time;
using Webinars.Webinars;

namespace Webinars.Feeds;

/// <summary>Every public webinar is a feed item: its time as the announcement writes it, then its summary.</summary>
public sealed class WebinarFeedEntries(WebinarsDbContext db) : IFeedEntrySource
{
    public async Task<IReadOnlyList<FeedEntry>> ListAsync(FeedScope scope, CancellationToken ct)
    {
        var query = db.Webinars.AsNoTracking().Include(w => w.Topic).Where(w => w.AnnouncedAt != null);
        if (scope.TopicId is Guid topicId) query = query.Where(w => w.TopicId == topicId);
        var webinars = await query.OrderByDescending(w => w.StartsAt).Take(scope.Take).ToListAsync(ct);
        return webinars.Select(w => From(w, scope.SiteBaseUrl)).ToList();
    }

    public static FeedEntry From(Webinar w, string siteBaseUrl)
    {
        var cancelled = w.Status == WebinarStatus.Cancelled;
        var summary = $"<p>{(cancelled ? "<strong>Cancelled.</strong> " : "")}{WebUtility.HtmlEncode(Headline(w))}</p>{w.SummaryHtml}";
        return new FeedEntry(
            Id: $"urn:webinars:webinar:{w.Id}",
            Title: cancelled ? $"Cancelled: {w.Title}" : w.Title,
            Link: FeedLinks.WebinarPage(siteBaseUrl, w.Slug),
            Published: w.AnnouncedAt ?? w.CreatedAt,
            Updated: w.UpdatedAt,
            SortAt: w.StartsAt,
            SummaryHtml: summary,
            ContentHtml: RecapHtml(w),
            Topic: new TopicRef(w.Topic.Slug, w.Topic.Name));
    }

    /// <summary>A published recap, led by the link to its recording; the item keeps its id and shows as updated.</summary>
    private static string? RecapHtml(Webinar w) =>
        w.Publication is { IsPublished: true, VideoId: string videoId } p
            ? $"<p><a href=\"{WebUtility.HtmlEncode(new YouTubeLink(videoId, null).Url)}\">Watch the full webinar on YouTube</a></p>{p.RecapHtml}"
            : null;

    /// <summary>"Tuesday, January 12, 2027, 9:00–10:00 AM EST (3:00–4:00 PM CET)".</summary>
    public static string Headline(Webinar w)
    {
        var host = DateTimeZoneProviders.Tzdb[w.HostZoneId];
        var others = w.DisplayZoneIds.Select(DateTimeZoneProviders.Tzdb.GetZoneOrNull).OfType<DateTimeZone>();
        return TimeText.Headline(w.StartsAt, w.Length, host, others);
    }
}
