namespace Webinars.Feeds;

/// <summary>Absolute addresses for feeds and calendars: <c>Site:BaseUrl</c>, or the request's own scheme and host.</summary>
public static class FeedLinks
{
    public static string SiteBase(HttpContext context)
    {
        var configured = context.RequestServices.GetRequiredService<IConfiguration>()["Site:BaseUrl"];
        if (!string.IsNullOrWhiteSpace(configured)) return configured.Trim().TrimEnd('/');
        var request = context.Request;
        return $"{request.Scheme}://{request.Host}{request.PathBase}".TrimEnd('/');
    }

    public static Uri WebinarPage(string siteBase, string slug) => new($"{siteBase}/webinars/{Uri.EscapeDataString(slug)}");

    public static Uri TopicPage(string siteBase, string slug) => new($"{siteBase}/topics/{Uri.EscapeDataString(slug)}");
}
