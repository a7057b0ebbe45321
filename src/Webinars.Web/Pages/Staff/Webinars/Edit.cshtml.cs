using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Registrations;
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
        Registrants = await ScheduleNotices.CountToldAsync(Db, webinar.Id, ct);
        await LoadTopicsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(Db, slug, User, ct);
        if (webinar is null) return NotFound();
        Current = WebinarView.From(webinar, includeJoinUrl: true);
        Registrants = await ScheduleNotices.CountToldAsync(Db, webinar.Id, ct);
        // Fields this form does not show (price, registration window) keep their values.
        Input.Price = webinar.PriceAmount is long amount ? new PriceInput { Amount = amount, Currency = webinar.PriceCurrency } : null;
        Input.RegistrationOpensAt = webinar.RegistrationOpensAt?.ToString();
        Input.RegistrationClosesAt = webinar.RegistrationClosesAt?.ToString();
        if (await ValidateAsync(ct) is not var (draft, topic)) return Page();

        ChangeOutcome outcome;
        try
        {
            outcome = await service.UpdateAsync(webinar, draft, topic.Id, Input.Version, User.Actor(), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            outcome = ChangeOutcome.ChangedMeanwhile;
        }

        if (outcome != ChangeOutcome.Done)
        {
            Problem = outcome == ChangeOutcome.WrongState
                ? $"A webinar in status {webinar.Status} cannot be edited."
                : await ChangedMeanwhileAsync(slug, ct);
            Response.StatusCode = StatusCodes.Status409Conflict;
            await LoadTopicsAsync(ct);
            return Page();
        }

        Message = $"“{webinar.Title}” is saved.";
        return Redirect($"/staff/webinars/{webinar.Slug}/edit");
    }

    /// <summary>
    /// Keeps what this editor typed, shows what is saved now, and takes the current version: saving again is a deliberate
    /// choice to put these values over the other person's.
    /// </summary>
    private async Task<string> ChangedMeanwhileAsync(string slug, CancellationToken ct)
    {
        Db.ChangeTracker.Clear();
        var current = await WebinarsApi.FindVisibleAsync(Db, slug, User, ct);
        if (current is null) return "This webinar was removed by someone else while you were editing it.";
        Current = WebinarView.From(current, includeJoinUrl: true);
        Input.Version = current.Version;
        return $"Someone else saved this webinar while you were editing it (now “{current.Title}”, {Current.Headline}). "
            + "Nothing of yours was saved. Your changes are still in the form: check them against the saved values and save again to replace those.";
    }
}
