using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Webinars.Data;
using Webinars.Webinars;

namespace Webinars.Pages.Staff;

/// <summary>Every webinar, drafts included, with what staff can do to each; also the target of Announce and Cancel.</summary>
public sealed class IndexModel(WebinarsDbContext db, WebinarService service, IClock clock) : PageModel
{
    public List<WebinarView> Upcoming { get; private set; } = [];
    public List<WebinarView> Past { get; private set; } = [];
    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        Upcoming = (await WebinarQueries.ListAsync(db, now, null, past: false, includeDrafts: true, ct)).Select(w => WebinarView.From(w)).ToList();
        Past = (await WebinarQueries.ListAsync(db, now, null, past: true, includeDrafts: true, ct)).Select(w => WebinarView.From(w)).ToList();
    }

    public Task<IActionResult> OnPostAnnounceAsync(string slug, CancellationToken ct) =>
        ChangeAsync(slug, "announced", (w, c) => service.AnnounceAsync(w, User.Identity?.Name ?? "unknown", c), ct);

    public Task<IActionResult> OnPostCancelAsync(string slug, CancellationToken ct) =>
        ChangeAsync(slug, "cancelled", (w, c) => service.CancelAsync(w, User.Identity?.Name ?? "unknown", c), ct);

    private async Task<IActionResult> ChangeAsync(string slug, string verb, Func<Webinar, CancellationToken, Task<ChangeOutcome>> change, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, User, ct);
        if (webinar is null) return NotFound();
        Message = await change(webinar, ct) switch
        {
            ChangeOutcome.Done => $"“{webinar.Title}” is {verb}.",
            ChangeOutcome.Refused => $"“{webinar.Title}” cannot be {verb} yet. {service.AnnounceRefusal(webinar)}",
            _ => $"“{webinar.Title}” is {webinar.Status} and cannot be {verb}.",
        };
        return RedirectToPage("/Staff/Index");
    }

    public static bool CanAnnounce(WebinarView w) => WebinarTransitions.CanMove(w.Status, WebinarStatus.Announced);

    public static bool CanCancel(WebinarView w) => WebinarTransitions.CanMove(w.Status, WebinarStatus.Cancelled);

    public static bool CanEdit(WebinarView w) => w.Status is not (WebinarStatus.Cancelled or WebinarStatus.Published);
}
