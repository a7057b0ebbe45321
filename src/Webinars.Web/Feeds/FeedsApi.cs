namespace Webinars.Feeds;

public static class FeedsApi
{
    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder app) => app;
}
