using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Webinars;

namespace Webinars.Registrations;

public static class AttendeeClaims
{
    public const string RegistrationId = "registration_id";
    public const string WebinarId = "webinar_id";
    /// <summary>The registration's status when the token was checked (the Q&amp;A hub refuses all but Confirmed at connect).</summary>
    public const string Status = "registration_status";
    public const string Policy = "Attendee";

    public static Guid? RegistrationOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(RegistrationId), out var id) ? id : null;
}

/// <summary>
/// <c>Authorization: Bearer &lt;registration token&gt;</c>: the token is hashed and looked up; the caller becomes that
/// one registration (its id and its webinar's id as claims), nothing more. On the Q&amp;A hub the token may come as
/// <c>?access_token=</c> instead, as browsers cannot set headers on a WebSocket.
/// The lookup takes a database context of its own and gives it back at once: the request's services live as long as
/// the request, and a hub connection's request lasts the whole webinar — holding a pooled context per attendee for
/// hours (tens of KiB each, and the pool emptied after 1,024 attendees).
/// </summary>
internal sealed class AttendeeAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IServiceScopeFactory scopes,
    IClock clock, IOptions<RegistrationOptions> registrations)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Accounts.AccountsApi.BearerToken(Request);
        if (token is null) return AuthenticateResult.NoResult();
        if (!AccessTokens.LooksValid(token)) return AuthenticateResult.Fail("Malformed registration token.");

        var hash = AccessTokens.Hash(token);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        // A token from "send my link again" works before its link is opened too; opening it retires the old one.
        var found = await db.Registrations.AsNoTracking().Where(r => r.AccessTokenHash == hash || r.PendingAccessTokenHash == hash)
            .Select(r => new { r.Id, r.WebinarId, r.Status, r.Webinar.EndsAt }).FirstOrDefaultAsync(Context.RequestAborted);
        if (found is null) return AuthenticateResult.Fail("Unknown or replaced registration token.");
        if (registrations.Value.LinkExpired(found.EndsAt, clock.GetCurrentInstant())) return AuthenticateResult.Fail("Expired registration token.");

        var identity = new ClaimsIdentity(
            [
                new Claim(AttendeeClaims.RegistrationId, found.Id.ToString()), new Claim(AttendeeClaims.WebinarId, found.WebinarId.ToString()),
                new Claim(AttendeeClaims.Status, found.Status.ToString()),
            ],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}

/// <summary>
/// The page sign-in that <c>/r/{token}</c> gives: one data-protected, HttpOnly cookie per webinar (so a person can hold
/// several), carrying the registration id and its current token hash — a rotated link ends old sessions too.
/// </summary>
public sealed class AttendeeCookies(IDataProtectionProvider protection, IClock clock, IOptions<RegistrationOptions> registrations)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Webinars.Registrations.AttendeeCookie.v1");

    public static string NameFor(Guid webinarId) => $"webinars.att.{webinarId:N}";

    public void SignIn(HttpContext context, Registration registration) =>
        context.Response.Cookies.Append(NameFor(registration.WebinarId), _protector.Protect($"{registration.Id:N}|{registration.AccessTokenHash}"), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(180),
            Path = "/",
        });

    public static void SignOut(HttpContext context, Guid webinarId) => context.Response.Cookies.Delete(NameFor(webinarId));

    /// <summary>The signed-in attendee's registration for this webinar (tracked, with the webinar), or null.</summary>
    public async Task<Registration?> FindAsync(HttpContext context, WebinarsDbContext db, Webinar webinar, CancellationToken ct)
    {
        if (context.Request.Cookies[NameFor(webinar.Id)] is not { Length: > 0 } value) return null;
        string plain;
        try
        {
            plain = _protector.Unprotect(value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        var parts = plain.Split('|');
        if (parts.Length != 2 || !Guid.TryParse(parts[0], out var id)) return null;
        var registration = await db.Registrations.Include(r => r.Answers).FirstOrDefaultAsync(r => r.Id == id && r.WebinarId == webinar.Id, ct);
        if (registration is null || registration.AccessTokenHash != parts[1]) return null;
        if (registrations.Value.LinkExpired(webinar.EndsAt, clock.GetCurrentInstant())) return null;
        registration.Webinar = webinar;
        return registration;
    }
}
