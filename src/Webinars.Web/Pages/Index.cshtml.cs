using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Webinars.Caching;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Webinars;

namespace Webinars.Pages;

[PublicRead]
public sealed class IndexModel(WebinarsDbContext db, IClock clock) : PageModel
{
    public List<WebinarView> Upcoming { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var viewer = ViewerZone.From(HttpContext);
        var webinars = await WebinarQueries.ListAsync(db, clock.GetCurrentInstant(), null, past: false, includeDrafts: false, ct);
        Upcoming = webinars.Select(w => WebinarView.From(w, viewer)).ToList();
    }
}
