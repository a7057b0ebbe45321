using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Caching;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Topics;
using Webinars.Webinars;

namespace Webinars.Pages.Topics;

/// <summary>A topic like the institute's own page: what it is about, what is coming, what happened, and its feeds.</summary>
[PublicRead]
public sealed class ShowModel(WebinarsDbContext db, IClock clock) : PageModel
{
    public TopicView? Topic { get; private set; }
    public List<WebinarView> Upcoming { get; private set; } = [];
    public List<WebinarView> Past { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var topic = await db.Topics.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug, ct);
        if (topic is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        Topic = TopicView.From(topic);
        var viewer = ViewerZone.From(HttpContext);
        var now = clock.GetCurrentInstant();
        var staff = WebinarsApi.IsStaff(User);
        Upcoming = (await WebinarQueries.ListAsync(db, now, slug, past: false, includeDrafts: staff, ct)).Select(w => WebinarView.From(w, viewer)).ToList();
        Past = (await WebinarQueries.ListAsync(db, now, slug, past: true, includeDrafts: staff, ct)).Select(w => WebinarView.From(w, viewer)).ToList();
        return Page();
    }
}
