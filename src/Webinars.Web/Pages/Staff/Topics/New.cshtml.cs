using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Topics;

namespace Webinars.Pages.Staff.Topics;

public sealed class NewModel(WebinarsDbContext db, IClock clock) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Description { get; set; }
    public IDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = errors.Required("name", Name, Topic.MaxNameLength);
        var description = errors.Bounded("description", Description, Topic.MaxDescriptionLength) ?? "";
        if (errors.Any)
        {
            Errors = errors.ToDictionary();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var topic = await TopicsApi.AddAsync(db, clock, name!, description, ct);
        db.AuditEntries.Add(new AuditEntry { At = clock.GetCurrentInstant(), Actor = User.Identity?.Name ?? "unknown", Action = "topic.create", Subject = topic.Slug });
        await db.SaveChangesAsync(ct);
        return Redirect($"/topics/{topic.Slug}");
    }
}
