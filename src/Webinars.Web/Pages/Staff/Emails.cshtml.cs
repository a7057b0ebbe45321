using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Email;

namespace Webinars.Pages.Staff;

/// <summary>
/// What the outbox holds: the queue, the recent send rate and the latest messages with their status and the server's
/// reason for a failure; each written message can be read, with its manage link masked.
/// </summary>
public sealed class EmailsModel(WebinarsDbContext db, IOptions<EmailOptions> options, PickupMailSender pickup, IClock clock) : PageModel
{
    public const int Shown = 200;

    public IReadOnlyList<OutboxMessage> Messages { get; private set; } = [];

    public bool PickupMode => !options.Value.UsesSmtp;

    public string PickupDirectory => pickup.Directory;

    /// <summary>Unsent messages due now (the backlog).</summary>
    public int Due { get; private set; }

    /// <summary>Unsent messages not due yet (reminders written ahead, retries waiting for their backoff).</summary>
    public int Waiting { get; private set; }

    public int SentLastMinute { get; private set; }

    public int SentLastHour { get; private set; }

    public int FailedLastDay { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var outbox = db.OutboxMessages().AsNoTracking();
        var unsent = outbox.Where(m => m.SentAt == null && m.GaveUpAt == null);
        Due = await unsent.CountAsync(m => m.NextAttemptAt <= now, ct);
        Waiting = await unsent.CountAsync(m => m.NextAttemptAt > now, ct);
        var minuteAgo = now - Duration.FromMinutes(1);
        var hourAgo = now - Duration.FromHours(1);
        var dayAgo = now - Duration.FromDays(1);
        SentLastMinute = await outbox.CountAsync(m => m.SentAt > minuteAgo, ct);
        SentLastHour = await outbox.CountAsync(m => m.SentAt > hourAgo, ct);
        FailedLastDay = await outbox.CountAsync(m => m.GaveUpAt > dayAgo, ct);
        // Ids are time-ordered, so newest first is a walk down the primary key.
        Messages = await outbox.OrderByDescending(m => m.Id).Take(Shown).ToListAsync(ct);
    }

    /// <summary>
    /// One written message as plain text (MIME), as it was sent but with its manage link masked: built from the stored
    /// row, which never holds the token, and never read from the pickup folder, whose files do.
    /// </summary>
    public async Task<IActionResult> OnGetEmlAsync(Guid id, CancellationToken ct)
    {
        var message = await db.OutboxMessages().AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
        if (message is null || !message.IsWritten) return NotFound();
        using var buffer = new MemoryStream();
        using var mime = MailMessages.Build(message, options.Value.FromAddress, accessToken: null);
        await mime.WriteToAsync(buffer, ct);
        return Content(MailMessages.Masked(System.Text.Encoding.UTF8.GetString(buffer.ToArray())), "text/plain; charset=utf-8");
    }
}
