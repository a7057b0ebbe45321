using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Registrations;
using Webinars.Time;
using Webinars.Webinars;

namespace Webinars.Pages.Registrations;

/// <summary>The attendee's live page: the join link, only for confirmed attendees, from a while before the start.</summary>
public sealed class LiveModel(WebinarsDbContext db, AttendeeCookies cookies, IClock clock, IOptions<RegistrationOptions> options) : PageModel
{
    public WebinarView Webinar { get; private set; } = null!;
    public bool Confirmed { get; private set; }
    public string? JoinUrl { get; private set; }
    public DisplayTime? OpensAt { get; private set; }
    public Instant OpensAtUtc { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var webinar = await RegistrationRules.FindPublicAsync(db, slug, ct);
        if (webinar is null) return NotFound();
        var registration = await cookies.FindAsync(HttpContext, db, webinar, ct);
        var zone = (registration is null ? null : HostTime.FindCurrentZone(registration.TimeZoneId)) ?? Infrastructure.ViewerZone.From(HttpContext);
        Webinar = WebinarView.From(webinar, zone);
        Confirmed = registration?.Status == RegistrationStatus.Confirmed;
        var opens = RegistrationRules.JoinLinkOpensAt(webinar, options.Value);
        OpensAtUtc = opens;
        if (Confirmed && clock.GetCurrentInstant() >= opens) JoinUrl = webinar.JoinUrl;
        else OpensAt = TimeText.For(opens, Duration.Zero, zone ?? HostTime.FindCurrentZone(webinar.HostZoneId)!);
        return Page();
    }
}
