using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using NodaTime;
using Scalar.AspNetCore;
using Webinars.Accounts;

namespace Webinars.Infrastructure;

/// <summary>What every feature relies on: the clock, JSON, errors, OpenAPI, health, telemetry, proxies.</summary>
public static class Platform
{
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        // The one place the real clock is registered; tests replace it with a FakeClock.
        builder.Services.AddSingleton<IClock>(SystemClock.Instance);
        // Only a developer's machine may fall back to localhost; anywhere else a missing address is a start-up error,
        // not emails full of links that lead nowhere.
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<SiteOptions>().BindConfiguration(SiteOptions.Section)
            .PostConfigure(o => o.BaseUrl = string.IsNullOrWhiteSpace(o.BaseUrl) && development ? SiteOptions.DevelopmentBaseUrl : o.BaseUrl.Trim())
            .Validate(o => o.BaseUrl.Length > 0, SiteOptions.Unset)
            .Validate(o => o.BaseUrl.Length == 0 || (Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"),
                "Site:BaseUrl must be an absolute http(s) URL.")
            .ValidateOnStart();
        builder.Services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestProblems>();
        builder.Services.AddExceptionHandler<OverloadProblems>();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks();
        builder.Services.AddRateLimiter(_ => { }); // features add their policies (RateLimiting:Enabled)
        builder.AddProxyTrust();
        builder.AddSecurityHeaders();

        if (builder.Configuration["Logging:Json"] is "true")
        {
            builder.Logging.AddJsonConsole();
        }

        builder.AddTelemetry();

        return builder;
    }

    public static WebApplication UsePlatform(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = Caching.CachingSetup.ImmutableWhenFingerprinted });
        app.UseRouting();
        app.UseAuthentication();
        app.UseCookieApiAntiforgery();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapPlatform(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/api/reference", o => o.WithTitle("Webinars API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }
}
