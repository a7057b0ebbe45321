using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Webinars.Data;
using Webinars.LiveQa;
using Webinars.Registrations;

namespace Webinars.Pages.Qa;

/// <summary>
/// The presenter's view, large enough to read across a room. Opened signed in as a moderator or staff, or without an
/// account through the webinar's presenter link (<see cref="PresenterLinks"/>): the hub then shows what attendees see.
/// A wrong or replaced key is a 404, as if there were no such page, so keys cannot be told apart from slugs by trying.
/// </summary>
[AllowAnonymous]
public sealed class PresentModel(WebinarsDbContext db) : PageModel
{
    public string Slug { get; private set; } = "";
    public string Title { get; private set; } = "";

    /// <summary>The presenter link's key, handed to the hub connection; null for a signed-in moderator.</summary>
    public string? PresenterKey { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, [FromQuery(Name = PresenterLinks.Parameter)] string? key, CancellationToken ct)
    {
        var moderator = QaAccess.IsModerator(User);
        // Without a key this stays the moderators' page: the sign-in challenge, or 403 for a signed-in attendee.
        if (!moderator && string.IsNullOrEmpty(key)) return User.Identity?.IsAuthenticated == true ? Forbid() : Challenge();
        var webinar = await RegistrationRules.FindAnnouncedAsync(db, slug, ct);
        if (webinar is null || (!moderator && !PresenterLinks.Matches(webinar, key))) return NotFound();
        Slug = webinar.Slug;
        Title = webinar.Title;
        PresenterKey = moderator ? null : key;
        return Page();
    }
}
