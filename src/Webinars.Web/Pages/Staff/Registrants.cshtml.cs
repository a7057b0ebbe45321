using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.LiveQa;
using Webinars.Payments;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Pages.Staff;

/// <summary>Who is coming: counts, search, status filter, bulk approve/decline, cancel and resend (Staff only, by folder).</summary>
public sealed class RegistrantsModel(
    WebinarsDbContext db, RegistrationService service, AttendanceService attendance, PaymentService payments, RefundTerms terms, IClock clock,
    IOptions<SiteOptions> site)
    : PageModel
{
    public Webinar Webinar { get; private set; } = null!;
    public RegistrantSummary Summary { get; private set; } = null!;
    /// <summary>Attendees in the live webinar right now (seen in the last two minutes, on any instance).</summary>
    public int LiveAttendees { get; private set; }
    public List<RegistrantView> Registrants { get; private set; } = [];
    public string? Message { get; private set; }

    /// <summary>A presenter link just made (shown once: only its hash is kept).</summary>
    public string? PresenterLink { get; private set; }
    /// <summary>Paid, refunded and held for a paid webinar; null for a free one.</summary>
    public PaymentTotals? Totals { get; private set; }
    /// <summary>The refund cutoff of a paid webinar; null for a free one.</summary>
    public RefundTermsView? Terms { get; private set; }

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug, string? message, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct)) return NotFound();
        Message = message;
        return Page();
    }

    public Task<IActionResult> OnPostApproveAsync(string slug, List<Guid> ids, CancellationToken ct) =>
        ActAsync(slug, ids, async (w, id) => await service.ApproveAsync(w, id, Actor, ct) is not null, "approved", ct);

    public Task<IActionResult> OnPostDeclineAsync(string slug, List<Guid> ids, CancellationToken ct) =>
        ActAsync(slug, ids, (w, id) => service.DeclineAsync(w, id, Actor, ct), "declined", ct);

    public Task<IActionResult> OnPostCancelAsync(string slug, Guid id, CancellationToken ct) =>
        ActAsync(slug, [id], (_, i) => service.CancelAsync(i, Actor, ct), "cancelled", ct);

    public Task<IActionResult> OnPostResendAsync(string slug, Guid id, CancellationToken ct) =>
        ActAsync(slug, [id], async (w, i) =>
        {
            var registration = db.Registrations.FirstOrDefault(r => r.Id == i && r.WebinarId == w.Id);
            if (registration is null) return false;
            await service.ResendLinkAsync(registration, Actor, ct);
            return true;
        }, "sent a new link", ct);

    /// <summary>Refunds all (empty amount) or part of a payment; the amount is in minor units (cents).</summary>
    public async Task<IActionResult> OnPostRefundAsync(string slug, Guid id, long? amount, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, User, ct);
        if (webinar is null) return NotFound();
        var (_, message) = await payments.RefundByStaffAsync(webinar.Id, id, amount, Actor, ct);
        return RedirectToPage(new { slug, Status, Search, message });
    }

    /// <summary>A new presenter link for the webinar (the previous one stops working), shown on the page to copy.</summary>
    public async Task<IActionResult> OnPostPresenterLinkAsync(string slug, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct)) return NotFound();
        PresenterLink = (await PresenterLinks.MakeAsync(db, Webinar, Actor, clock.GetCurrentInstant(), site.Value, ct)).Url;
        return Page();
    }

    /// <summary>Sets the refund cutoff (hours before the start); a refused value is named in the message and changes nothing.</summary>
    public async Task<IActionResult> OnPostTermsAsync(string slug, int? refundCutoffHours, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, User, ct);
        if (webinar is null) return NotFound();
        var errors = new Infrastructure.FieldErrors();
        var set = await terms.SetAsync(webinar, new RefundTermsInput(refundCutoffHours), Actor, errors, ct);
        var message = set is null ? string.Join(" ", errors.ToDictionary().Values.SelectMany(v => v)) : $"Refunds now until {set.RefundCutoffHours} h before the start.";
        return RedirectToPage(new { slug, Status, Search, message });
    }

    private string Actor => User.Identity?.Name ?? "unknown";

    private async Task<IActionResult> ActAsync(string slug, List<Guid> ids, Func<Webinar, Guid, Task<bool>> act, string verb, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, User, ct);
        if (webinar is null) return NotFound();
        var done = 0;
        foreach (var id in ids.Distinct().Take(RegistrantsApi.MaxBulk))
        {
            if (await act(webinar, id)) done++;
        }

        return RedirectToPage(new { slug, Status, Search, message = $"{done} of {ids.Count} {verb}." });
    }

    private async Task<bool> LoadAsync(string slug, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, User, ct);
        if (webinar is null) return false;
        Webinar = webinar;
        RegistrationStatus? status = Enum.TryParse<RegistrationStatus>(Status, out var s) && !int.TryParse(Status, out _) ? s : null;
        Registrants = await RegistrantsApi.QueryAsync(db, webinar.Id, status, Search?.Length > 200 ? Search[..200] : Search, ct);
        Summary = await RegistrantsApi.SummarizeAsync(db, webinar, ct);
        LiveAttendees = await attendance.LiveCountAsync(webinar.Id, ct);
        Totals = webinar.IsFree ? null : await PaymentTotals.ForAsync(db, webinar, ct);
        Terms = webinar.IsFree ? null : await terms.ForAsync(webinar, ct);
        return true;
    }
}
