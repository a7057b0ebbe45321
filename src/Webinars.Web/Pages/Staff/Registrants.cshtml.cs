using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.LiveQa;
using Webinars.Payments;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Pages.Staff;

/// <summary>Who is coming: counts, search, status filter, bulk approve/decline, cancel and resend (Staff only, by folder).</summary>
public sealed class RegistrantsModel(
    WebinarsDbContext db, RegistrantService registrants, AttendanceService attendance, PaymentService payments, RefundTerms terms, IClock clock,
    IOptions<SiteOptions> site, TicketTypes ticketTypes)
    : PageModel
{
    private static readonly LocalDateTimePattern Registered = LocalDateTimePattern.CreateWithInvariantCulture("MMM d, uuuu, h:mm tt");

    public Webinar Webinar { get; private set; } = null!;
    public RegistrantSummary Summary { get; private set; } = null!;
    /// <summary>Attendees in the live webinar right now (seen in the last two minutes, on any instance).</summary>
    public int LiveAttendees { get; private set; }
    public List<RegistrantView> Registrants { get; private set; } = [];
    [TempData] public string? Message { get; set; }

    /// <summary>A presenter link just made (shown once: only its hash is kept).</summary>
    public string? PresenterLink { get; private set; }
    /// <summary>Paid, refunded and held for a paid webinar; null for a free one.</summary>
    public PaymentTotals? Totals { get; private set; }
    /// <summary>The refund cutoff of a paid webinar; null for a free one.</summary>
    public RefundTermsView? Terms { get; private set; }
    /// <summary>A paid webinar's ticket types (perhaps none yet); null for a free one.</summary>
    public List<TicketTypeView>? TicketTypes { get; private set; }

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }

    /// <summary>Approve and Decline (and the row checkboxes) appear only on a webinar whose registrations staff approve.</summary>
    public bool Approving => Webinar.RequiresApproval;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await FindAsync(slug, ct) is not { } webinar) return NotFound();
        await LoadAsync(webinar, ct);
        return Page();
    }

    public Task<IActionResult> OnPostApproveAsync(string slug, List<Guid> ids, CancellationToken ct) =>
        BulkAsync(slug, ids, "approve", (w, c) => registrants.ApproveAsync(w, ids, User.Actor(), c), ct);

    public Task<IActionResult> OnPostDeclineAsync(string slug, List<Guid> ids, CancellationToken ct) =>
        BulkAsync(slug, ids, "decline", (w, c) => registrants.DeclineAsync(w, ids, User.Actor(), c), ct);

    public async Task<IActionResult> OnPostCancelAsync(string slug, Guid id, CancellationToken ct)
    {
        if (await FindAsync(slug, ct) is not { } webinar) return NotFound();
        var result = await registrants.CancelAsync(webinar, id, User.Actor(), ct);
        if (result.Registrant is not { } registrant) return NotFound();
        Message = !result.Done ? $"{registrant.Name}’s registration was already {StatusText(registrant.Status).ToLowerInvariant()}; nothing changed."
            : result.Promoted is { } promoted
                ? $"{registrant.Name} ({registrant.Email}) is cancelled and emailed. {promoted.Name} ({promoted.Email}) moved up from the waitlist"
                  + (webinar.IsFree ? " and is confirmed." : " and was offered the seat to pay for.")
                : $"{registrant.Name} ({registrant.Email}) is cancelled and emailed.";
        return Back(slug);
    }

    public async Task<IActionResult> OnPostResendAsync(string slug, Guid id, CancellationToken ct)
    {
        if (await FindAsync(slug, ct) is not { } webinar) return NotFound();
        if (await registrants.ResendLinkAsync(webinar, id, User.Actor(), ct) is not { } registrant) return NotFound();
        Message = $"A new link is on its way to {registrant.Name} ({registrant.Email}).";
        return Back(slug);
    }

    /// <summary>Refunds all (empty amount) or part of a payment; the amount is in minor units (cents).</summary>
    public async Task<IActionResult> OnPostRefundAsync(string slug, Guid id, long? amount, CancellationToken ct)
    {
        if (await FindAsync(slug, ct) is not { } webinar) return NotFound();
        (_, Message) = await payments.RefundByStaffAsync(webinar.Id, id, amount, User.Actor(), ct);
        return Back(slug);
    }

    /// <summary>Sets the refund cutoff (hours before the start); a refused value is named in the message and changes nothing.</summary>
    public async Task<IActionResult> OnPostTermsAsync(string slug, int? refundCutoffHours, CancellationToken ct)
    {
        if (await FindAsync(slug, ct) is not { } webinar) return NotFound();
        var errors = new FieldErrors();
        var set = await terms.SetAsync(webinar, new RefundTermsInput(refundCutoffHours), User.Actor(), errors, ct);
        Message = set is null ? string.Join(" ", errors.ToDictionary().Values.SelectMany(v => v)) : $"Refunds now until {set.RefundCutoffHours} h before the start.";
        return Back(slug);
    }

    /// <summary>Adds or changes a ticket type (price in minor units); a refused field is named in the message and changes nothing.</summary>
    public async Task<IActionResult> OnPostTicketTypeAsync(string slug, string? key, string? name, long? price, int? seats, CancellationToken ct)
    {
        if (await FindAsync(slug, ct) is not { } webinar) return NotFound();
        var errors = new FieldErrors();
        var set = await ticketTypes.SetAsync(webinar, key ?? "", new TicketTypeInput(name, price, seats), User.Actor(), errors, ct);
        Message = set is null
            ? string.Join(" ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))
            : $"Ticket type '{set.Key}' saved: {set.Text}, {set.Seats} seats ({set.SeatsLeft} left).";
        return Back(slug);
    }

    public async Task<IActionResult> OnPostRemoveTicketTypeAsync(string slug, string key, CancellationToken ct)
    {
        if (await FindAsync(slug, ct) is not { } webinar) return NotFound();
        (_, Message) = await ticketTypes.RemoveAsync(webinar, key, User.Actor(), ct);
        return Back(slug);
    }

    /// <summary>A new presenter link for the webinar (the previous one stops working), shown on the page to copy.</summary>
    public async Task<IActionResult> OnPostPresenterLinkAsync(string slug, CancellationToken ct)
    {
        if (await FindAsync(slug, ct) is not { } webinar) return NotFound();
        PresenterLink = (await PresenterLinks.MakeAsync(db, webinar, User.Actor(), clock.GetCurrentInstant(), site.Value, ct)).Url;
        await LoadAsync(webinar, ct);
        return Page();
    }

    /// <summary>How a status reads on the page.</summary>
    public static string StatusText(RegistrationStatus status) => status switch
    {
        RegistrationStatus.PendingApproval => "Awaiting approval",
        RegistrationStatus.PendingPayment => "Awaiting payment",
        _ => status.ToString(),
    };

    /// <summary>"Nov 29, 2026, 7:00 AM EST": when someone registered, in the webinar's own zone.</summary>
    public string RegisteredText(Instant at)
    {
        var zoned = at.InZone(DateTimeZoneProviders.Tzdb[Webinar.HostZoneId]);
        return $"{Registered.Format(zoned.LocalDateTime)} {zoned.GetZoneInterval().Name}";
    }

    private async Task LoadAsync(Webinar webinar, CancellationToken ct)
    {
        Webinar = webinar;
        var status = RegistrantService.ParseStatus(Status, new FieldErrors());
        var search = Search?.Length > RegistrantService.MaxSearchLength ? Search[..RegistrantService.MaxSearchLength] : Search;
        Registrants = await registrants.ListAsync(webinar.Id, status, search, ct);
        Summary = await registrants.SummarizeAsync(webinar, ct);
        LiveAttendees = await attendance.LiveCountAsync(webinar.Id, ct);
        Totals = webinar.IsFree ? null : await PaymentTotals.ForAsync(db, webinar, ct);
        Terms = webinar.IsFree ? null : await terms.ForAsync(webinar, ct);
        TicketTypes = webinar.IsFree ? null : await Payments.TicketTypes.ListAsync(db, webinar, ct);
    }

    private async Task<IActionResult> BulkAsync(
        string slug, List<Guid> ids, string verb, Func<Webinar, CancellationToken, Task<List<BulkResult>>> act, CancellationToken ct)
    {
        if (await FindAsync(slug, ct) is not { } webinar) return NotFound();
        if (ids.Count == 0)
        {
            Message = $"Nothing to {verb}: tick the people first.";
            return Back(slug);
        }

        var results = await act(webinar, ct);
        var done = results.Count(r => r.Done);
        var skipped = results.Count - done;
        Message = $"{Count(done)} {verb}d." + (skipped == 0 ? "" : verb == "approve"
            ? $" {Count(skipped)} skipped: not awaiting approval, or the webinar is full."
            : $" {Count(skipped)} skipped: neither awaiting approval nor waitlisted.");
        return Back(slug);
    }

    private static string Count(int n) => n == 1 ? "1 registration" : $"{n} registrations";

    private Task<Webinar?> FindAsync(string slug, CancellationToken ct) => WebinarsApi.FindVisibleAsync(db, slug, User, ct);

    private RedirectToPageResult Back(string slug) => RedirectToPage(new { slug, Status, Search });
}
