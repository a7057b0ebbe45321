using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Webinars.Data;
using Webinars.Email;

namespace Webinars.Pages.Staff;

/// <summary>One written message from the outbox, rendered as its reader sees it (HTML and text parts), link masked.</summary>
public sealed class EmailMessageModel(WebinarsDbContext db, IOptions<EmailOptions> options) : PageModel
{
    public Guid Id { get; private set; }

    public MailPreview Preview { get; private set; } = null!;

    public string Status { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var message = await db.OutboxMessages().AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
        if (message is null || !message.IsWritten) return NotFound();
        Id = id;
        Status = message.Status;
        Preview = MailPreview.Of(message, options.Value.FromAddress);
        return Page();
    }
}
