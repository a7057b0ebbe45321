using Microsoft.AspNetCore.Mvc;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Webinars;

namespace Webinars.Pages.Staff.Webinars;

public sealed class NewModel(WebinarsDbContext db, WebinarService service) : WebinarFormPage(db)
{
    public async Task OnGetAsync(string? topic, CancellationToken ct)
    {
        await LoadTopicsAsync(ct);
        Input = new WebinarInput { Topic = topic, DurationMinutes = 60, Waitlist = true };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await ValidateAsync(ct) is not var (draft, topic)) return Page();
        var webinar = await service.CreateAsync(draft, topic.Id, User.Actor(), ct);
        TempData["Message"] = $"“{webinar.Title}” is saved as a draft; announce it to make it public.";
        return Redirect($"/staff/webinars/{webinar.Slug}/edit");
    }
}
