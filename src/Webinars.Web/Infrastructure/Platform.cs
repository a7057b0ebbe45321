using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using NodaTime;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;

namespace Webinars.Infrastructure;

/// <summary>What every feature relies on: the clock, JSON, errors, OpenAPI, health, telemetry, proxies.</summary>
public static class Platform
{
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        // The one place the real clock is registered; tests replace it with a FakeClock.
        builder.Services.AddSingleton<IClock>(SystemClock.Instance);
        builder.Services.AddOptions<SiteOptions>().BindConfiguration(SiteOptions.Section).ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https", "Site:BaseUrl must be an absolute http(s) URL.")
            .ValidateOnStart();
        builder.Services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestProblems>();
        builder.Services.AddExceptionHandler<OverloadProblems>();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks();
        builder.Services.AddRateLimiter(_ => { }); // features add their policies (RateLimiting:Enabled)
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Behind the documented reverse proxy; restrict with KnownProxies/KnownNetworks in production if exposed directly.
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
        });

        if (builder.Configuration["Logging:Json"] is "true")
        {
            builder.Logging.AddJsonConsole();
        }

        // Traces and metrics only when there is somewhere to send them (OTEL_EXPORTER_OTLP_ENDPOINT): without an
        // exporter they would still build an activity with its tags for every request, for nobody.
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry()
                .WithTracing(t => t.AddAspNetCoreInstrumentation().AddSource("System.Net.Http", "Webinars"))
                .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddMeter("System.Net.Http", "System.Runtime", "Webinars"))
                .UseOtlpExporter();
        }

        return builder;
    }

    public static WebApplication UsePlatform(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            return next(context);
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
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
