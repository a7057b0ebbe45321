using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Registrations;

namespace Webinars.Pages.Qa;

/// <summary>
/// The presenter's view, large enough to read across a room. Opened signed in as a moderator or staff (the hub lets
/// them see every question; the page shows the approved ones): a separate per-webinar presenter link is not built yet.
/// </summary>
[Authorize(Policy = Policies.Moderator)]
public sealed class PresentModel(WebinarsDbContext db) : PageModel
{
    public string Slug { get; private set; } = "";
    public string Title { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var webinar = await RegistrationRules.FindAnnouncedAsync(db, slug, ct);
        if (webinar is null) return NotFound();
        Slug = webinar.Slug;
        Title = webinar.Title;
        return Page();
    }
}
