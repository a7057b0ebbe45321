using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Mvc;

namespace Webinars.Registrations;

/// <summary>Per-IP limits on the endpoints strangers can hammer: registering, "send my link", and /r/{token}.</summary>
public static class RegistrationRateLimits
{
    public const string Register = "registrations.register";
    public const string SendLink = "registrations.send-link";
    public const string Link = "registrations.link";

    public static WebApplicationBuilder AddRegistrationRateLimits(this WebApplicationBuilder builder)
    {
        var enabled = builder.Configuration.GetValue("RateLimiting:Enabled", true);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = OnRejectedAsync;
            o.AddPolicy(Register, c => PerIp(c, enabled, permits: 20));
            o.AddPolicy(SendLink, c => PerIp(c, enabled, permits: 5));
            o.AddPolicy(Link, c => PerIp(c, enabled, permits: 30));
        });
        return builder;
    }

    private static RateLimitPartition<string> PerIp(HttpContext context, bool enabled, int permits) => enabled
        ? RateLimitPartition.GetSlidingWindowLimiter(Infrastructure.ProxyTrust.ClientKey(context), _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
        })
        : RateLimitPartition.GetNoLimiter("off");

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        // A sliding window's refusal carries no retry time; a segment (10 s) is when a permit may come back.
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(10);
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = "Too many attempts from your network; please wait a minute and try again.",
            },
        });
    }
}
