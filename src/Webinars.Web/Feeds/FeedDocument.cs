using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using NodaTime;

namespace Webinars.Feeds;

/// <summary>What a feed says about itself.</summary>
/// <param name="Id">The Atom feed id: stable, e.g. <c>urn:webinars:topic:{id}</c>.</param>
public sealed record FeedHeader(string Id, string Title, string Description, Uri Alternate, Uri Self);

/// <summary>Turns feed entries into RSS 2.0 or Atom 1.0 documents (UTF-8, no BOM).</summary>
public static class FeedDocument
{
    public const string RssContentType = "application/rss+xml; charset=utf-8";
    public const string AtomContentType = "application/atom+xml; charset=utf-8";

    public static SyndicationFeed Build(FeedHeader header, IReadOnlyList<FeedEntry> entries, Instant lastUpdated, string selfMediaType)
    {
        var feed = new SyndicationFeed(header.Title, header.Description, header.Alternate)
        {
            Id = header.Id,
            LastUpdatedTime = lastUpdated.ToDateTimeOffset(),
            Generator = "Webinars",
            Language = "en",
            Items = entries.Select(Item).ToList(),
        };
        feed.Links.Add(new SyndicationLink(header.Self, "self", header.Title, selfMediaType, 0));
        // Atom wants an author for every entry; the feed's own stands in for them all.
        feed.Authors.Add(new SyndicationPerson { Name = header.Title });
        return feed;
    }

    public static byte[] Rss(SyndicationFeed feed) => Write(new Rss20FeedFormatter(feed, serializeExtensionsAsAtom: true));

    public static byte[] Atom(SyndicationFeed feed) => Write(new Atom10FeedFormatter(feed));

    private static SyndicationItem Item(FeedEntry entry)
    {
        var item = new SyndicationItem
        {
            Id = entry.Id,
            Title = new TextSyndicationContent(entry.Title),
            PublishDate = entry.Published.ToDateTimeOffset(),
            LastUpdatedTime = entry.Updated.ToDateTimeOffset(),
            Summary = new TextSyndicationContent(entry.SummaryHtml, TextSyndicationContentKind.Html),
        };
        if (entry.ContentHtml is not null) item.Content = new TextSyndicationContent(entry.ContentHtml, TextSyndicationContentKind.Html);
        item.Links.Add(SyndicationLink.CreateAlternateLink(entry.Link, "text/html"));
        item.Categories.Add(new SyndicationCategory(entry.Topic.Name) { Label = entry.Topic.Name });
        return item;
    }

    private static byte[] Write(SyndicationFeedFormatter formatter)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            formatter.WriteTo(writer);
        }

        return stream.ToArray();
    }
}
