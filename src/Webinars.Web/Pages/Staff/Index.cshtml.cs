using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Pages.Staff;

/// <summary>Every webinar, drafts included, with what staff can do to each; also the target of Announce and Cancel.</summary>
public sealed class IndexModel(WebinarsDbContext db, WebinarService service, RegistrantService registrants, IClock clock) : PageModel
{
    public List<WebinarView> Upcoming { get; private set; } = [];
    public List<WebinarView> Past { get; private set; } = [];
    [TempData] public string? Message { get; set; }

    /// <summary>Confirmed and waitlisted registrations per webinar slug.</summary>
    public Dictionary<string, (int Confirmed, int Waitlisted)> Counts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var upcoming = await WebinarQueries.ListAsync(db, now, null, past: false, includeDrafts: true, ct);
        var past = await WebinarQueries.ListAsync(db, now, null, past: true, includeDrafts: true, ct);
        var counts = await registrants.CountsAsync([.. upcoming.Concat(past).Select(w => w.Id)], ct);
        Counts = upcoming.Concat(past).ToDictionary(w => w.Slug, w => counts.GetValueOrDefault(w.Id));
        Upcoming = upcoming.Select(w => WebinarView.From(w)).ToList();
        Past = past.Select(w => WebinarView.From(w)).ToList();
    }

    /// <summary>"12 of 40 seats taken · 3 waitlisted" for the list.</summary>
    public string Numbers(WebinarView w)
    {
        var (confirmed, waitlisted) = Counts.GetValueOrDefault(w.Slug);
        var seats = w.Capacity is int capacity ? $"{capacity - (w.SeatsLeft ?? 0)} of {capacity} seats taken" : $"{confirmed} confirmed, no seat limit";
        return waitlisted > 0 || w.Waitlist ? $"{seats} · {waitlisted} waitlisted" : seats;
    }

    public Task<IActionResult> OnPostAnnounceAsync(string slug, CancellationToken ct) =>
        ChangeAsync(slug, "announced", (w, c) => service.AnnounceAsync(w, User.Actor(), c), ct);

    public Task<IActionResult> OnPostCancelAsync(string slug, CancellationToken ct) =>
        ChangeAsync(slug, "cancelled", (w, c) => service.CancelAsync(w, User.Actor(), c), ct);

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

    /// <summary>Not once it has ended: there is nothing left to call off, and the button would only invite a slip.</summary>
    public static bool CanCancel(WebinarView w, Instant now) =>
        WebinarTransitions.CanMove(w.Status, WebinarStatus.Cancelled) && w.StatusAt(now) != WebinarStatus.Ended;

    public static bool CanEdit(WebinarView w) => w.Status is not (WebinarStatus.Cancelled or WebinarStatus.Published);
}
