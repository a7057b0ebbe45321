using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;
using NodaTime;

namespace Webinars.Feeds;

/// <summary>
/// Feed readers and calendar clients poll; an ETag (a hash of the body) and Last-Modified let them ask
/// "anything new?" and get an empty 304 when nothing is.
/// </summary>
internal static class ConditionalGet
{
    public static IResult Respond(HttpContext context, byte[] body, string contentType, Instant? lastModified, bool cacheable = true)
    {
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(body), 0, 16)}\"");
        var modified = lastModified is Instant at ? Instant.FromUnixTimeSeconds(at.ToUnixTimeSeconds()).ToDateTimeOffset() : (DateTimeOffset?)null;

        var response = context.Response.GetTypedHeaders();
        response.ETag = etag;
        response.LastModified = modified;
        response.CacheControl = cacheable
            ? new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromMinutes(5) }
            : new CacheControlHeaderValue { Private = true, NoStore = true };

        var request = context.Request.GetTypedHeaders();
        var notModified = request.IfNoneMatch.Count > 0
            ? request.IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false))
            : request.IfModifiedSince is DateTimeOffset since && modified is DateTimeOffset m && m <= since;
        return notModified ? Results.StatusCode(StatusCodes.Status304NotModified) : Results.Bytes(body, contentType);
    }
}
