using System.Security.Cryptography;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.LiveQa;

public sealed record PresenterLink(string Url);

/// <summary>
/// A per-webinar secret link to the presenter view (<c>/webinars/{slug}/present?key=…</c>) for a screen without a staff
/// account, such as a guest speaker's laptop: read-only, it sees what attendees see (the approved queue and the pinned
/// question). Only the key's hash is kept, so staff copy the link when they make it; making a new one (rotating) ends the
/// old one, on the page and on the hub.
/// </summary>
public static class PresenterLinks
{
    /// <summary>The page's query parameter and the hub's.</summary>
    public const string Parameter = "key";

    public static bool Matches(Webinar webinar, string? key) =>
        webinar.PresenterKeyHash is { } hash && AccessTokens.LooksValid(key)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(AccessTokens.Hash(key!)));

    /// <summary>Staff's API: makes a new presenter link (the previous one stops working) and returns it, once.</summary>
    public static async Task<Results<Ok<PresenterLink>, NotFound>> RotateAsync(
        string slug, WebinarsDbContext db, IClock clock, ClaimsPrincipal user, IOptions<SiteOptions> site, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        return TypedResults.Ok(await MakeAsync(db, webinar, user.Actor(), clock.GetCurrentInstant(), site.Value, ct));
    }

    /// <summary>Makes a new presenter link for <paramref name="webinar"/>, audited; the API and the staff page share it.</summary>
    public static async Task<PresenterLink> MakeAsync(WebinarsDbContext db, Webinar webinar, string actor, Instant now, SiteOptions site, CancellationToken ct)
    {
        var (key, hash) = AccessTokens.New();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // A direct update: the webinar's calendar sequence (its concurrency token) is not the presenter link's business.
        await db.Webinars.Where(w => w.Id == webinar.Id).ExecuteUpdateAsync(s => s.SetProperty(w => w.PresenterKeyHash, hash), ct);
        db.AuditEntries.Add(new AuditEntry { At = now, Actor = actor, Action = "qa.presenter-link", Subject = webinar.Id.ToString() });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        var url = new Uri(new Uri(site.BaseUrl), $"/webinars/{Uri.EscapeDataString(webinar.Slug)}/present?{Parameter}={key}");
        return new PresenterLink(url.ToString());
    }
}
