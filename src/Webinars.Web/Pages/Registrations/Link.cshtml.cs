using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Pages.Registrations;

/// <summary>Where an unknown or replaced link lands (404), with "send me a new link"; the answer reveals nothing.</summary>
[EnableRateLimiting(RegistrationRateLimits.SendLink)]
public sealed class LinkModel(WebinarsDbContext db, RegistrationService service, IClock clock) : PageModel
{
    public List<WebinarView> Webinars { get; private set; } = [];
    public bool Sent { get; private set; }

    /// <summary>The link was real but its webinar ended longer ago than Registrations:LinkGraceDays.</summary>
    [BindProperty(SupportsGet = true)] public bool Expired { get; set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(string? slug, string? email, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var normalised = RegistrationValidation.NormaliseEmail(errors, email);
        var webinar = string.IsNullOrEmpty(slug) ? null : await RegistrationRules.FindPublicAsync(db, slug, ct);
        if (normalised is null || webinar is null)
        {
            Error = errors.ToDictionary().Values.SelectMany(m => m).FirstOrDefault() ?? "Please choose the webinar.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }

        var registration = await db.Registrations.FirstOrDefaultAsync(r => r.WebinarId == webinar.Id && r.Email == normalised, ct);
        if (registration is not null) await service.ResendLinkAsync(registration, actor: null, ct);
        Sent = true;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Webinars = (await WebinarQueries.ListAsync(db, clock.GetCurrentInstant(), null, past: false, includeDrafts: false, ct)).Select(w => WebinarView.From(w)).ToList();
}
