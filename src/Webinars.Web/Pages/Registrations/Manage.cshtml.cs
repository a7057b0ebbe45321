using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Webinars.Data;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Pages.Registrations;

/// <summary>"Manage my registration": reached through the magic link's cookie; the token is never in this URL.</summary>
public sealed class ManageModel(WebinarsDbContext db, AttendeeCookies cookies, RegistrationService service) : PageModel
{
    public WebinarView Webinar { get; private set; } = null!;
    public Registration? Registration { get; private set; }
    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, string? notice, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct)) return NotFound();
        Notice = notice switch
        {
            "cancelled" => "Your registration is cancelled.",
            "sent" => "We emailed you a new link; the old one no longer works.",
            _ => null,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(string slug, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct)) return NotFound();
        if (Registration is null) return Page();
        await service.CancelAsync(Registration.Id, actor: null, ct);
        return RedirectToPage(new { slug, notice = "cancelled" });
    }

    public async Task<IActionResult> OnPostSendLinkAsync(string slug, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct)) return NotFound();
        if (Registration is null) return Page();
        await service.ResendLinkAsync(Registration, actor: null, ct);
        return RedirectToPage(new { slug, notice = "sent" }); // the new link signs in again
    }

    /// <summary>How a registration status reads to the attendee.</summary>
    public static string StatusText(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Waitlisted => "On the waitlist",
        RegistrationStatus.PendingApproval => "Pending approval",
        RegistrationStatus.PendingPayment => "Pending payment",
        _ => status.ToString(),
    };

    private async Task<bool> LoadAsync(string slug, CancellationToken ct)
    {
        var webinar = await RegistrationRules.FindPublicAsync(db, slug, ct);
        if (webinar is null) return false;
        Registration = await cookies.FindAsync(HttpContext, db, webinar, ct);
        var zone = Registration is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(Registration.TimeZoneId);
        Webinar = WebinarView.From(webinar, zone ?? Infrastructure.ViewerZone.From(HttpContext));
        return true;
    }
}
