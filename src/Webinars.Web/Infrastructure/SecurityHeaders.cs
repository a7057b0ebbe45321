namespace Webinars.Infrastructure;

/// <summary>
/// Headers every response carries. The Content-Security-Policy allows scripts and styles from this site only, so
/// text a user typed can never run as script even if a page forgot to encode it; pages keep their JavaScript in
/// wwwroot/js. The YouTube embed (frame) and its thumbnails (images) are the only outside sources, and a form may lead
/// only here or to the origins features name in <see cref="FormTarget"/>s (Stripe's Checkout after a paid registration).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The policy of every page, with the form targets features added. 'self' also covers ws:/wss: to this host (CSP
    /// Level 3), which the live pages' hub connection uses.
    /// </summary>
    public static string PolicyWith(IEnumerable<string> formTargets) =>
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https://i.ytimg.com data:; " +
        "frame-src https://www.youtube-nocookie.com; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
        $"form-action {string.Join(' ', formTargets.Prepend("'self'").Distinct(StringComparer.Ordinal))}; frame-ancestors 'none'";

    /// <summary>The API reference page (Scalar) configures itself with an inline script; it shows no user text.</summary>
    private const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public static WebApplicationBuilder AddSecurityHeaders(this WebApplicationBuilder builder)
    {
        // Browsers remember it, so it is sent only over HTTPS (the middleware's own rule) and outside Development.
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
        return builder;
    }

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        var policy = PolicyWith(app.Services.GetServices<FormTarget>().Select(t => t.Origin));
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/api/reference") ? ApiReferencePolicy : policy;
            return next(context);
        });
        return app;
    }
}

/// <summary>An origin (<c>https://host[:port]</c>) a page's form may lead to, by its action or by the redirect it answers with.</summary>
public sealed record FormTarget(string Origin);
