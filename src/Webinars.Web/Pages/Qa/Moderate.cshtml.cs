using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.LiveQa;
using Webinars.Registrations;

namespace Webinars.Pages.Qa;

/// <summary>
/// The moderator console: the questions themselves arrive over the hub (wwwroot/js/qa-moderate.js); the page
/// itself carries the webinar, the keyboard shortcuts and the audit trail of Q&amp;A actions.
/// </summary>
[Authorize(Policy = Policies.Moderator)]
public sealed class ModerateModel(WebinarsDbContext db, QaModeration moderation) : PageModel
{
    private const int TrailLength = 50;

    public string Slug { get; private set; } = "";
    public string Title { get; private set; } = "";
    public IReadOnlyList<QaTrailLine> Trail { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var webinar = await RegistrationRules.FindAnnouncedAsync(db, slug, ct);
        if (webinar is null) return NotFound();
        Slug = webinar.Slug;
        Title = webinar.Title;
        Trail = await QaTrailLine.ForAsync(db, await moderation.TrailAsync(webinar.Id, TrailLength, ct), ct);
        return Page();
    }
}
