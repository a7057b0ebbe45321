using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using NodaTime;

namespace Webinars.Caching;

/// <summary>
/// One mechanism for every <see cref="PublicReadAttribute"/> response — pages, JSON, feeds, calendars: a strong ETag
/// (a hash of the bytes as sent, so each compression has its own), a 304 when the client's copy is current (by
/// <c>If-None-Match</c>, else <c>If-Modified-Since</c> where the endpoint set Last-Modified), and Cache-Control: public
/// for a few seconds for anonymous readers, never stored for signed-in ones. It sits inside the output cache, so a kept
/// response keeps its ETag and the output cache answers 304 from it without rendering.
/// </summary>
internal sealed class ConditionalGet(RequestDelegate next, IOptions<ReadCacheOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var response = context.Response;
        if (response.StatusCode == StatusCodes.Status200OK)
        {
            var etag = ETagOf(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            var headers = response.GetTypedHeaders();
            headers.ETag = etag;
            headers.CacheControl = ReadCachePolicy.Applies(context)
                ? new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromSeconds(options.Value.SharedSeconds) }
                : new CacheControlHeaderValue { Private = true, NoStore = true };
            // Pages differ with the tz cookie and the reader's language (prices), the API with Accept: a shared cache must
            // not hand one reader's to another.
            response.Headers.Append(HeaderNames.Vary, context.Request.Path.StartsWithSegments("/api") ? "Accept" : "Cookie, Accept-Language");
            if (IsNotModified(context.Request, etag, headers.LastModified))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.ContentLength = null;
                response.Headers.ContentType = default;
                return;
            }
        }

        response.ContentLength = buffer.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>A body whose Last-Modified the endpoint knows (feeds, calendars): clients may also ask with If-Modified-Since.</summary>
    public static IResult Respond(HttpContext context, byte[] body, string contentType, Instant? lastModified)
    {
        if (lastModified is Instant at) context.Response.GetTypedHeaders().LastModified = Instant.FromUnixTimeSeconds(at.ToUnixTimeSeconds()).ToDateTimeOffset();
        return Results.Bytes(body, contentType);
    }

    public static EntityTagHeaderValue ETagOf(ReadOnlySpan<byte> body) => new($"\"{Convert.ToHexStringLower(SHA256.HashData(body), 0, 16)}\"");

    public static bool IsNotModified(HttpRequest request, EntityTagHeaderValue etag, DateTimeOffset? lastModified)
    {
        var headers = request.GetTypedHeaders();
        return headers.IfNoneMatch.Count > 0
            ? headers.IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false))
            : headers.IfModifiedSince is DateTimeOffset since && lastModified is DateTimeOffset m && m <= since;
    }
}
