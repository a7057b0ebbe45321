using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using NodaTime;
using Webinars.Infrastructure;
using Webinars.Payments;
using Webinars.Time;

namespace Webinars.Caching;

/// <summary>
/// Which reads are kept and under what key. Only anonymous GETs of <see cref="PublicReadAttribute"/> endpoints; the key
/// holds what really changes the bytes: the path, the query keys the endpoints read, the reader's zone (from <c>?tz=</c>
/// or the <c>tz</c> cookie, as <see cref="ViewerZone"/> resolves it), the reader's culture (prices) on pages, <c>Accept</c> on the API, the response encoding,
/// and the current minute of the app's clock — so what depends on the time (the "Live now" banner, a closed
/// registration) is never a minute late, and a test's fake clock is obeyed.
/// </summary>
internal sealed class ReadCachePolicy(IOptions<ReadCacheOptions> options, IClock clock) : IOutputCachePolicy
{
    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var api = http.Request.Path.StartsWithSegments("/api");
        if (!options.Value.Enabled || !Applies(http) || (!api && ViewerZoneIsBeingSet(http.Request)))
        {
            context.EnableOutputCaching = false;
            return ValueTask.CompletedTask;
        }

        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true; // a burst of misses renders once
        context.ResponseExpirationTimeSpan = TimeSpan.FromSeconds(options.Value.Seconds);
        context.Tags.Add(ReadTags.All);

        var vary = context.CacheVaryByRules;
        vary.QueryKeys = new(["tz", "topic", "when"]);
        vary.VaryByValues["zone"] = api ? "" : Zone(http.Request) ?? ""; // the API reads ?tz= only
        vary.VaryByValues["minute"] = (clock.GetCurrentInstant().ToUnixTimeSeconds() / 60).ToString(System.Globalization.CultureInfo.InvariantCulture);
        vary.VaryByValues["encoding"] = Encoding(http.Request);
        if (!api) vary.VaryByValues["culture"] = Money.ReaderCulture(http).Name; // prices in the reader's format
        if (api) vary.HeaderNames = new(HeaderNames.Accept);
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var response = http.Response;
        // Only complete successes without a cookie for this one reader.
        if (response.StatusCode != StatusCodes.Status200OK || !StringValues.IsNullOrEmpty(response.Headers.SetCookie))
        {
            context.AllowCacheStorage = false;
            return ValueTask.CompletedTask;
        }

        context.Tags.Add(ReadTags.Shown(http) is Guid webinar ? ReadTags.Webinar(webinar) : ReadTags.Listings);
        return ValueTask.CompletedTask;
    }

    /// <summary>A public read by someone who is not signed in (no staff cookie, no bearer or registration token).</summary>
    internal static bool Applies(HttpContext http) =>
        (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) &&
        http.GetEndpoint()?.Metadata.GetMetadata<PublicReadAttribute>() is not null &&
        http.User.Identity?.IsAuthenticated != true &&
        !http.Request.Headers.ContainsKey(HeaderNames.Authorization);

    /// <summary>The zone a page is rendered for; null: none (the browser fills "Your time" in).</summary>
    internal static string? Zone(HttpRequest request) =>
        (HostTime.FindZone(request.Query["tz"].ToString()) ?? HostTime.FindZone(request.Cookies[ViewerZone.Cookie]))?.Id;

    /// <summary><c>?tz=</c> other than the cookie: the page answers with a cookie for this reader, so it is not kept.</summary>
    private static bool ViewerZoneIsBeingSet(HttpRequest request) =>
        HostTime.FindZone(request.Query["tz"].ToString()) is { } asked && asked.Id != request.Cookies[ViewerZone.Cookie];

    /// <summary>The coding the compression middleware will pick, so a gzip reader never gets Brotli bytes.</summary>
    private static string Encoding(HttpRequest request)
    {
        var accepted = request.Headers.AcceptEncoding.ToString();
        return accepted.Contains("br", StringComparison.OrdinalIgnoreCase) ? "br"
            : accepted.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? "gzip"
            : "";
    }
}
