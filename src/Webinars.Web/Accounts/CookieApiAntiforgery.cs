using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

namespace Webinars.Accounts;

/// <summary>
/// The staff cookie also works on the JSON API (the staff pages' scripts call it). SameSite=Lax keeps most cross-site
/// posts from carrying it, but not posts from a sibling subdomain (the same "site") or older browsers, and body-less
/// POSTs such as cancel need no JSON content type to get through a plain HTML form. So a state-changing <c>/api</c>
/// call authenticated by the cookie must carry the page's antiforgery token in the <c>RequestVerificationToken</c>
/// header. Bearer-token callers are not affected.
/// </summary>
public static class CookieApiAntiforgery
{
    public const string HeaderName = "RequestVerificationToken";

    public static WebApplicationBuilder AddCookieApiAntiforgery(this WebApplicationBuilder builder)
    {
        builder.Services.AddAntiforgery(o => o.HeaderName = HeaderName);
        return builder;
    }

    /// <summary>After authentication, so it knows whether the cookie signed the caller in.</summary>
    public static WebApplication UseCookieApiAntiforgery(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (NeedsToken(context) && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "Antiforgery token missing or invalid",
                        Detail = $"A call signed in with the staff cookie must send the page's antiforgery token in the {HeaderName} header; API clients use a bearer token instead.",
                    },
                });
                return;
            }

            await next(context);
        });
        return app;
    }

    private static bool NeedsToken(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api")
        && !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
        && !context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && context.User.Identity?.IsAuthenticated == true;
}
