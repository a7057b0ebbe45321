using Microsoft.Extensions.Options;
using Webinars.Infrastructure;

namespace Webinars.Feeds;

/// <summary>Absolute addresses for feeds and calendars, under <c>Site:BaseUrl</c> (as in emails).</summary>
public static class FeedLinks
{
    public static string SiteBase(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<SiteOptions>>().Value.BaseUrl.Trim().TrimEnd('/');

    public static Uri WebinarPage(string siteBase, string slug) => new($"{siteBase}/webinars/{Uri.EscapeDataString(slug)}");

    public static Uri TopicPage(string siteBase, string slug) => new($"{siteBase}/topics/{Uri.EscapeDataString(slug)}");
}
