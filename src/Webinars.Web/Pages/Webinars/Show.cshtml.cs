using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Webinars.Caching;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Pages.Registrations;
using Webinars.Webinars;

namespace Webinars.Pages.Webinars;

/// <summary>The announcement: times in every zone that matters, who speaks, what it is about; drafts only for staff.</summary>
[PublicRead]
public sealed class ShowModel(WebinarsDbContext db, IClock clock) : PageModel
{
    public WebinarView? Webinar { get; private set; }

    public RegistrationForm? Registration { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, User, ct);
        if (webinar is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        ReadTags.Shows(HttpContext, webinar.Id);
        Webinar = WebinarView.From(webinar, ViewerZone.From(HttpContext), includeJoinUrl: WebinarsApi.IsStaff(User));
        // The form itself (antiforgery token, the reader's own registration) comes uncached from the register page's card.
        Registration = RegistrationForm.Placeholder(webinar, Webinar, clock.GetCurrentInstant());
        return Page();
    }

    /// <summary>Speakers in the order people expect to read them, each role once: Speakers, Moderator(s), Discussants.</summary>
    public static IEnumerable<(string Heading, List<SpeakerView> People)> Groups(WebinarView w) =>
        new[] { SpeakerRole.Speaker, SpeakerRole.Moderator, SpeakerRole.Discussant }
            .Select(role => (role, people: w.Speakers.Where(s => s.Role == role).ToList()))
            .Where(g => g.people.Count > 0)
            .Select(g => (Heading(g.role, g.people.Count), g.people));

    private static string Heading(SpeakerRole role, int count) => role switch
    {
        SpeakerRole.Speaker => count == 1 ? "Speaker" : "Speakers",
        SpeakerRole.Moderator => count == 1 ? "Moderator" : "Moderators",
        _ => count == 1 ? "Discussant" : "Discussants",
    };
}
