using Microsoft.AspNetCore.Mvc;
using Webinars.Data;
using Webinars.Webinars;

namespace Webinars.Pages.Staff.Webinars;

public sealed class EditModel(WebinarsDbContext db, WebinarService service) : WebinarFormPage(db)
{
    public WebinarView? Current { get; private set; }
    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(Db, slug, User, ct);
        if (webinar is null) return NotFound();
        Current = WebinarView.From(webinar, includeJoinUrl: true);
        Fill(webinar);
        await LoadTopicsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(Db, slug, User, ct);
        if (webinar is null) return NotFound();
        Current = WebinarView.From(webinar, includeJoinUrl: true);
        // Fields this form does not show (price, registration window) keep their values.
        Input.Price = webinar.PriceAmount is long amount ? new PriceInput { Amount = amount, Currency = webinar.PriceCurrency } : null;
        Input.RegistrationOpensAt = webinar.RegistrationOpensAt?.ToString();
        Input.RegistrationClosesAt = webinar.RegistrationClosesAt?.ToString();
        if (await ValidateAsync(ct) is not var (draft, topic)) return Page();

        if (await service.UpdateAsync(webinar, draft, topic.Id, User.Identity?.Name ?? "unknown", ct) == ChangeOutcome.WrongState)
        {
            Problem = $"A webinar in status {webinar.Status} cannot be edited.";
            Response.StatusCode = StatusCodes.Status409Conflict;
            await LoadTopicsAsync(ct);
            return Page();
        }

        Message = $"“{webinar.Title}” is saved.";
        return Redirect($"/staff/webinars/{webinar.Slug}/edit");
    }
}
