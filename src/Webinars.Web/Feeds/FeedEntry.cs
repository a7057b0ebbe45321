using NodaTime;
using Webinars.Webinars;

namespace Webinars.Feeds;

/// <summary>
/// One item of an RSS/Atom feed, independent of what it came from (an announced webinar today, a published recap
/// later), so a new kind of item is a new <see cref="IFeedEntrySource"/> rather than a change to the feed writer.
/// </summary>
/// <param name="Id">Stable across edits (a feed reader uses it to recognise the item): e.g. <c>urn:webinars:webinar:{id}</c>.</param>
/// <param name="SortAt">Where the item goes in a newest-first feed: a webinar's start, a recap's publication.</param>
/// <param name="SummaryHtml">Sanitised HTML shown as the item's summary/description.</param>
/// <param name="ContentHtml">Sanitised HTML of the full text (a recap), when there is more than the summary.</param>
public sealed record FeedEntry(
    string Id,
    string Title,
    Uri Link,
    Instant Published,
    Instant Updated,
    Instant SortAt,
    string SummaryHtml,
    string? ContentHtml,
    TopicRef Topic);

/// <summary>Which items a feed asks its sources for.</summary>
/// <param name="TopicId">One topic's items, or every topic's when null.</param>
/// <param name="SiteBaseUrl">Absolute base for item links, without a trailing slash.</param>
public sealed record FeedScope(Guid? TopicId, string SiteBaseUrl, int Take);

/// <summary>Something that contributes items to the topic and site feeds; every registered source is asked.</summary>
public interface IFeedEntrySource
{
    Task<IReadOnlyList<FeedEntry>> ListAsync(FeedScope scope, CancellationToken ct);
}
