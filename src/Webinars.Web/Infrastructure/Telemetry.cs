using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Webinars.Infrastructure;

/// <summary>
/// Traces and metrics, only when there is somewhere to send them (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>): without an
/// exporter they would still build an activity with its tags for every request, for nobody. Secrets in URLs — the
/// magic link's <c>/r/{token}</c> and the hub's <c>access_token</c> query — are redacted before anything is exported.
/// </summary>
public static class Telemetry
{
    public const string Redacted = "REDACTED";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return builder;
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddAspNetCoreInstrumentation(o => o.EnrichWithHttpRequest = Redact).AddSource("System.Net.Http", "Webinars"))
            .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddMeter("System.Net.Http", "System.Runtime", "Webinars"))
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>Runs after the instrumentation has set its URL tags, so it overwrites them.</summary>
    internal static void Redact(Activity activity, HttpRequest request)
    {
        if (RedactPath(request.Path.Value) is { } path)
        {
            activity.SetTag("url.path", path);
            activity.SetTag("http.target", path);
        }

        if (request.Query.ContainsKey("access_token"))
        {
            activity.SetTag("url.query", RedactQuery(request.QueryString.Value));
        }
    }

    /// <summary><c>/r/&lt;token&gt;</c> → <c>/r/REDACTED</c>; null for paths that carry no token.</summary>
    internal static string? RedactPath(string? path) =>
        path is not null && path.StartsWith("/r/", StringComparison.OrdinalIgnoreCase) ? "/r/" + Redacted : null;

    internal static string RedactQuery(string? query)
    {
        if (string.IsNullOrEmpty(query)) return "";
        var pairs = query.TrimStart('?').Split('&').Select(p =>
            p.StartsWith("access_token=", StringComparison.OrdinalIgnoreCase) ? "access_token=" + Redacted : p);
        return "?" + string.Join('&', pairs);
    }
}
