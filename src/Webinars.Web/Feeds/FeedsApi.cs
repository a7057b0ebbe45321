using System.Security.Claims;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Caching;
using Webinars.Data;
using Webinars.Topics;
using Webinars.Webinars;

namespace Webinars.Feeds;

/// <summary>RSS 2.0 and Atom per topic and site-wide, an .ics per webinar and a subscribable calendar per topic.</summary>
public static class FeedsApi
{
    public const int FeedSize = 50;
    public const int CalendarSize = 500;

    public static WebApplicationBuilder AddFeeds(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<IFeedEntrySource, WebinarFeedEntries>();
        return builder;
    }

    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder app)
    {
        app.MapGet("/feed.rss", SiteRssAsync).WithTags("Feeds").WithName("SiteRss").PublicRead().WithSummary("Every topic's public webinars as RSS 2.0.");
        app.MapGet("/topics/{slug}/feed.rss", (string slug, HttpContext c, WebinarsDbContext db, IEnumerable<IFeedEntrySource> s, CancellationToken ct) =>
                TopicFeedAsync(slug, atom: false, c, db, s, ct))
            .WithTags("Feeds").WithName("TopicRss").PublicRead().WithSummary("A topic's public webinars, newest first, as RSS 2.0.");
        app.MapGet("/topics/{slug}/feed.atom", (string slug, HttpContext c, WebinarsDbContext db, IEnumerable<IFeedEntrySource> s, CancellationToken ct) =>
                TopicFeedAsync(slug, atom: true, c, db, s, ct))
            .WithTags("Feeds").WithName("TopicAtom").PublicRead().WithSummary("A topic's public webinars, newest first, as Atom 1.0.");
        app.MapGet("/topics/{slug}/calendar.ics", TopicCalendarAsync)
            .WithTags("Feeds").WithName("TopicCalendar").PublicRead().WithSummary("A calendar to subscribe to: the topic's upcoming webinars and those of the last 12 months.");
        app.MapGet("/webinars/{slug}.ics", WebinarCalendarAsync)
            .WithTags("Feeds").WithName("WebinarCalendar").PublicRead().WithSummary("One webinar as an iCalendar event (METHOD:CANCEL once cancelled).");
        return app;
    }

    private static async Task<IResult> SiteRssAsync(HttpContext context, IEnumerable<IFeedEntrySource> sources, IClock clock, CancellationToken ct)
    {
        var site = FeedLinks.SiteBase(context);
        var entries = await EntriesAsync(sources, new FeedScope(null, site, FeedSize), ct);
        var updated = entries.Count > 0 ? entries.Max(e => e.Updated) : clock.GetCurrentInstant();
        var header = new FeedHeader("urn:webinars:site", "Webinars", "Every public webinar, newest first.", new Uri(site + "/"), new Uri(site + "/feed.rss"));
        var body = FeedDocument.Rss(FeedDocument.Build(header, entries, updated, "application/rss+xml"));
        return ConditionalGet.Respond(context, body, FeedDocument.RssContentType, entries.Count > 0 ? updated : null);
    }

    private static async Task<IResult> TopicFeedAsync(
        string slug, bool atom, HttpContext context, WebinarsDbContext db, IEnumerable<IFeedEntrySource> sources, CancellationToken ct)
    {
        if (await FindTopicAsync(db, slug, ct) is not { } topic) return Results.NotFound();
        var site = FeedLinks.SiteBase(context);
        var entries = await EntriesAsync(sources, new FeedScope(topic.Id, site, FeedSize), ct);
        var updated = entries.Select(e => e.Updated).Append(topic.CreatedAt).Max();
        var (extension, mediaType) = atom ? ("atom", "application/atom+xml") : ("rss", "application/rss+xml");
        var header = new FeedHeader($"urn:webinars:topic:{topic.Id}", topic.Name, FirstLine(topic.Description, topic.Name),
            FeedLinks.TopicPage(site, topic.Slug), new Uri($"{FeedLinks.TopicPage(site, topic.Slug)}/feed.{extension}"));
        var feed = FeedDocument.Build(header, entries, updated, mediaType);
        return atom
            ? ConditionalGet.Respond(context, FeedDocument.Atom(feed), FeedDocument.AtomContentType, updated)
            : ConditionalGet.Respond(context, FeedDocument.Rss(feed), FeedDocument.RssContentType, updated);
    }

    private static async Task<IResult> TopicCalendarAsync(string slug, HttpContext context, WebinarsDbContext db, IClock clock, CancellationToken ct)
    {
        if (await FindTopicAsync(db, slug, ct) is not { } topic) return Results.NotFound();
        var since = clock.GetCurrentInstant() - Duration.FromDays(365);
        var webinars = await db.Webinars.AsNoTracking()
            .Where(w => w.TopicId == topic.Id && w.AnnouncedAt != null && w.EndsAt >= since)
            .OrderBy(w => w.StartsAt).Take(CalendarSize).ToListAsync(ct);
        var site = FeedLinks.SiteBase(context);
        var calendar = WebinarCalendar.BuildSubscription(topic.Name, FirstLine(topic.Description, topic.Name), webinars,
            w => FeedLinks.WebinarPage(site, w.Slug).ToString());
        var body = Encoding.UTF8.GetBytes(WebinarCalendar.Serialize(calendar));
        var updated = webinars.Select(w => w.UpdatedAt).Append(topic.CreatedAt).Max();
        return ConditionalGet.Respond(context, body, WebinarCalendar.ContentType, updated);
    }

    private static async Task<IResult> WebinarCalendarAsync(string slug, HttpContext context, WebinarsDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!LooksLikeSlug(slug)) return Results.NotFound();
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return Results.NotFound();
        var pageUrl = FeedLinks.WebinarPage(FeedLinks.SiteBase(context), webinar.Slug).ToString();
        var calendar = WebinarCalendar.Build(webinar, pageUrl, WebinarCalendar.MethodFor(webinar), webinar.UpdatedAt);
        var body = Encoding.UTF8.GetBytes(WebinarCalendar.Serialize(calendar));
        context.Response.Headers.ContentDisposition = $"attachment; filename={webinar.Slug}.ics";
        ReadTags.Shows(context, webinar.Id);
        return ConditionalGet.Respond(context, body, WebinarCalendar.ContentType, webinar.UpdatedAt);
    }

    private static async Task<Topic?> FindTopicAsync(WebinarsDbContext db, string slug, CancellationToken ct) =>
        !LooksLikeSlug(slug) ? null : await db.Topics.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug, ct);

    /// <summary>Slugs are made of a-z, 0-9 and '-'; anything else (say a NUL byte PostgreSQL refuses) cannot match one.</summary>
    private static bool LooksLikeSlug(string slug) =>
        slug.Length is > 0 and <= Webinar.MaxSlugLength && slug.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>Every source's items, newest first.</summary>
    private static async Task<List<FeedEntry>> EntriesAsync(IEnumerable<IFeedEntrySource> sources, FeedScope scope, CancellationToken ct)
    {
        var all = new List<FeedEntry>();
        foreach (var source in sources) all.AddRange(await source.ListAsync(scope, ct));
        return all.OrderByDescending(e => e.SortAt).ThenBy(e => e.Id, StringComparer.Ordinal).Take(scope.Take).ToList();
    }

    private static string FirstLine(string text, string fallback)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(line) ? fallback : line;
    }
}
