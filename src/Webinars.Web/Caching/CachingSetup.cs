using System.IO.Compression;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.StaticFiles;
using Webinars.Data;

namespace Webinars.Caching;

/// <summary>
/// The read path (docs/decisions/0011-read-cache.md): public reads rendered once and kept in memory until a change
/// evicts them, answered with ETags and 304s, compressed, and marked so a proxy may hold them for a few seconds.
/// </summary>
public static class CachingSetup
{
    public static WebApplicationBuilder AddReadCache(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReadCacheOptions>().BindConfiguration(ReadCacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReadCacheEviction>();
        services.AddHostedService(sp => sp.GetRequiredService<ReadCacheEviction>());
        services.AddAfterCommit<ChangeWatcher>();
        services.AddSingleton<ReadCachePolicy>();
        services.AddOutputCache(o => o.AddBasePolicy(new DeferredPolicy()));
        services.AddResponseCompression(o =>
        {
            // Only anonymous public reads are compressed (UseReadCache), which carry no secret a BREACH attack could find.
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(
                ["application/rss+xml", "application/atom+xml", "text/calendar", "application/problem+json"]);
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return builder;
    }

    /// <summary>Goes after authentication (a signed-in caller is never served or stored) and before the endpoints.</summary>
    public static WebApplication UseReadCache(this WebApplication app)
    {
        app.UseOutputCache();
        app.UseWhen(c => c.GetEndpoint()?.Metadata.GetMetadata<PublicReadAttribute>() is not null, read =>
        {
            read.UseMiddleware<ConditionalGet>();
            read.UseWhen(ReadCachePolicy.Applies, anonymous => anonymous.UseResponseCompression());
        });
        return app;
    }

    /// <summary>
    /// Files linked with <c>asp-append-version</c> (<c>?v=</c> a hash of their content) never change under that address:
    /// browsers and proxies keep them a year without asking again.
    /// </summary>
    public static void ImmutableWhenFingerprinted(StaticFileResponseContext context)
    {
        if (context.Context.Request.Query.ContainsKey("v"))
        {
            context.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        }
    }

    /// <summary>The output cache's base policy is made before the app's services exist; this one asks them per request.</summary>
    private sealed class DeferredPolicy : IOutputCachePolicy
    {
        private static ReadCachePolicy Policy(OutputCacheContext c) => c.HttpContext.RequestServices.GetRequiredService<ReadCachePolicy>();

        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken ct) => Policy(context).CacheRequestAsync(context, ct);

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken ct) => Policy(context).ServeFromCacheAsync(context, ct);

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken ct) => Policy(context).ServeResponseAsync(context, ct);
    }
}
