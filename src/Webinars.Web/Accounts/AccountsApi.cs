using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Webinars.Data;

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
                o.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<WebinarsDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

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
            .AllowAnonymous();
        return app;
    }

    public sealed record LoginRequest(string? Email, string? Password);

    private static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, SignInManager<StaffUser> signIn)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email)) errors["email"] = ["Email is required."];
        if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["Password is required."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(request.Email!.Trim(), request.Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return TypedResults.Empty; // the bearer handler has written { accessToken, expiresIn, ... }
        }

        var detail = result.IsLockedOut ? "Too many failed attempts; try again later." : "Email or password is wrong.";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed");
    }

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
