using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Webinars.Data;
using Webinars.Email;

namespace Webinars.Pages.Staff;

/// <summary>What the outbox holds: the latest messages with their status; in pickup mode each .eml can be read.</summary>
public sealed class EmailsModel(WebinarsDbContext db, IOptions<EmailOptions> options, PickupMailSender pickup) : PageModel
{
    public const int Shown = 200;

    public IReadOnlyList<OutboxMessage> Messages { get; private set; } = [];

    public bool PickupMode => !options.Value.UsesSmtp;

    public string PickupDirectory => pickup.Directory;

    public async Task OnGetAsync(CancellationToken ct)
    {
        // Ids are time-ordered, so newest first is a walk down the primary key.
        Messages = await db.OutboxMessages().AsNoTracking().OrderByDescending(m => m.Id).Take(Shown).ToListAsync(ct);
    }

    /// <summary>The .eml file of one message as plain text (pickup mode only).</summary>
    public async Task<IActionResult> OnGetEmlAsync(Guid id, CancellationToken ct)
    {
        if (!PickupMode) return NotFound();
        var message = await db.OutboxMessages().AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
        if (message?.SentAt is null) return NotFound();
        var path = pickup.PathFor(message.MessageId);
        if (!System.IO.File.Exists(path)) return NotFound();
        return Content(await System.IO.File.ReadAllTextAsync(path, ct), "text/plain; charset=utf-8");
    }
}
