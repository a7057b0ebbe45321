using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Webinars.Data;
using Webinars.Infrastructure;

namespace Webinars.Accounts;

public static class AccountsApi
{
    /// <summary>The default scheme: the bearer header when sent (API clients), else the staff cookie (pages).</summary>
    public const string Scheme = "Webinars";

    /// <summary>
    /// Attendees authenticate with their registration token (43 characters of base64url); staff bearer tokens
    /// from <c>/api/auth/login</c> are data-protected blobs of several hundred characters.
    /// </summary>
    public const string AttendeeScheme = "Attendee";
    public const int MaxAttendeeTokenLength = 64;

    /// <summary>Per-address limit on password attempts, for <c>/api/auth/login</c> and the sign-in page's post.</summary>
    public const string SignInRateLimit = "accounts.sign-in";

    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Bearer token or staff cookie", o => o.ForwardDefaultSelector = SelectScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.Events.OnMessageReceived = c =>
            {
                // Staff's bearer token on the hub's WebSocket comes in the query string.
                if (BearerToken(c.Request) is { } token) c.Token = token;
                return Task.CompletedTask;
            })
            .AddIdentityCookies();

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/staff/signin";
            o.AccessDeniedPath = "/staff/denied";
            o.Cookie.Name = "webinars.staff";
            o.Cookie.SameSite = SameSiteMode.Lax;
            // APIs and the hub answer 401/403 rather than redirecting to the sign-in page.
            o.Events.OnRedirectToLogin = c => ApiAware(c, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = c => ApiAware(c, StatusCodes.Status403Forbidden);
        });

        builder.Services.AddIdentityCore<StaffUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                // Length over composition rules (NIST SP 800-63B): a long passphrase beats "Passw0rd!".
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                // Lockout is per address and account (SignInThrottle), not Identity's lockout of the account for everyone.
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<WebinarsDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        builder.AddCookieApiAntiforgery();
        builder.Services.AddOptions<SignInLimitsOptions>().BindConfiguration(SignInLimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SignInThrottle>();
        var limited = builder.Configuration.GetValue("RateLimiting:Enabled", true);
        builder.Services.AddRateLimiter(o => o.AddPolicy(SignInRateLimit, c => PerAddress(c, limited)));

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Staff, p => p.RequireRole(Roles.Staff))
            .AddPolicy(Policies.Moderator, p => p.RequireRole(Roles.Moderator, Roles.Staff));
        return builder;
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/login", LoginAsync)
            .WithName("Login")
            .WithSummary("Signs a staff member in and returns a bearer access token.")
            .WithTags("Accounts")
            .RequireRateLimiting(SignInRateLimit)
            .AllowAnonymous();
        return app;
    }

    public sealed record LoginRequest(string? Email, string? Password);

    private static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, SignInManager<StaffUser> signIn, SignInThrottle throttle, HttpContext context)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email)) errors["email"] = ["Email is required."];
        if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["Password is required."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        return await throttle.PasswordSignInAsync(signIn, context, request.Email!, request.Password!) switch
        {
            SignInOutcome.Succeeded => TypedResults.Empty, // the bearer handler has written { accessToken, expiresIn, ... }
            SignInOutcome.Throttled => TypedResults.Problem(throttle.ThrottledMessage, statusCode: StatusCodes.Status429TooManyRequests, title: "Sign-in refused"),
            _ => TypedResults.Problem("Email or password is wrong.", statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed"),
        };
    }

    /// <summary>Only password posts count; showing the sign-in page is free.</summary>
    private static RateLimitPartition<string> PerAddress(HttpContext context, bool enabled) =>
        enabled && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            ? RateLimitPartition.GetSlidingWindowLimiter(ProxyTrust.ClientKey(context), _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = context.RequestServices.GetRequiredService<IOptions<SignInLimitsOptions>>().Value.PerAddressPerMinute,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter("free");

    private static string SelectScheme(HttpContext context)
    {
        if (BearerToken(context.Request) is { } token)
        {
            return token.Length <= MaxAttendeeTokenLength ? AttendeeScheme : IdentityConstants.BearerScheme;
        }

        return IdentityConstants.ApplicationScheme;
    }

    /// <summary>
    /// The bearer token of a request: the Authorization header; on the Q&amp;A hub also <c>?access_token=</c>, as a
    /// browser's WebSocket cannot send headers (the query string is kept out of logs: see LiveQa/QaLogging.cs).
    /// </summary>
    public static string? BearerToken(HttpRequest request)
    {
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return auth["Bearer ".Length..].Trim();
        if (request.Path.StartsWithSegments(HubPath) && request.Query["access_token"].ToString() is { Length: > 0 } query) return query;
        return null;
    }

    /// <summary>The live Q&amp;A hub's path (LiveQa/QaHub.cs); the one place the query-string token is accepted.</summary>
    public const string HubPath = "/hubs/qa";

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
