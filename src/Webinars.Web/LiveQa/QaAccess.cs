using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.LiveQa;

/// <summary>
/// Who may use a webinar's Q&amp;A: moderators and staff by their account; an attendee by their registration (token or
/// the live page's cookie), only for its own webinar and only while Confirmed; a presenter screen by the webinar's
/// presenter link, to watch only.
/// </summary>
public sealed class QaAccess(WebinarsDbContext db, AttendeeCookies cookies)
{
    public static bool IsModerator(ClaimsPrincipal user) => user.IsInRole(Roles.Moderator) || user.IsInRole(Roles.Staff);

    public async Task<QaCaller> ResolveAsync(HubCallerContext context, Webinar webinar, CancellationToken ct)
    {
        var user = context.User ?? new ClaimsPrincipal();
        if (IsModerator(user)) return new QaCaller(webinar.Id, webinar.Slug, null, user.Actor());

        if (context.GetHttpContext()?.Request.Query[PresenterLinks.Parameter].ToString() is { Length: > 0 } key)
        {
            return PresenterLinks.Matches(webinar, key)
                ? new QaCaller(webinar.Id, webinar.Slug, null, null)
                : throw new HubException("This presenter link is not valid any more; ask the organisers for the current one.");
        }

        Registration? registration = null;
        if (AttendeeClaims.RegistrationOf(user) is { } id)
        {
            registration = await db.Registrations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        }
        else if (context.GetHttpContext() is { } http)
        {
            registration = await cookies.FindAsync(http, db, webinar, ct);
        }

        if (registration is null) throw new HubException("Sign in with the link from your registration email to take part in the Q&A.");
        if (registration.WebinarId != webinar.Id) throw new HubException("Your registration is for another webinar.");
        if (registration.Status != RegistrationStatus.Confirmed)
        {
            throw new HubException($"Only confirmed attendees take part in the Q&A; this registration is {registration.Status}.");
        }

        return new QaCaller(webinar.Id, webinar.Slug, registration.Id, null);
    }

    /// <summary>An attendee's action: their registration must still be Confirmed (it may have been cancelled since Join).</summary>
    public async Task RequireConfirmedAsync(QaCaller caller, CancellationToken ct)
    {
        if (caller.RegistrationId is not { } id) throw new HubException("Only attendees ask and vote; moderators moderate.");
        var status = await db.Registrations.Where(r => r.Id == id).Select(r => (RegistrationStatus?)r.Status).FirstOrDefaultAsync(ct);
        if (status != RegistrationStatus.Confirmed) throw new HubException("Your registration is no longer confirmed.");
    }

    public static void RequireModerator(QaCaller caller)
    {
        if (!caller.IsModerator) throw new HubException("Only moderators and staff moderate questions.");
    }

    /// <summary>
    /// Refuses at connect (before the hub) a token that is unknown or replaced (401) or whose registration is not
    /// Confirmed (403); and a browser WebSocket from a page of another site (Origin not Site:BaseUrl, 403).
    /// </summary>
    public static async Task GuardAsync(HttpContext context, Func<Task> next, string siteOrigin)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin.TrimEnd('/'), siteOrigin, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var presented = context.Request.Query.ContainsKey("access_token") || context.Request.Headers.Authorization.Count > 0;
        var user = context.User;
        if (presented && !IsModerator(user) && AttendeeClaims.RegistrationOf(user) is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (user.FindFirst(AttendeeClaims.Status) is { } status && status.Value != nameof(RegistrationStatus.Confirmed))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        await next();
    }
}
