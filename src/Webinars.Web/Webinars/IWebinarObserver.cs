using NodaTime;
using Webinars.Data;

namespace Webinars.Webinars;

/// <summary>
/// Told about schedule changes before they are saved, so that whatever it queues (emails, reminders) is written in
/// the same transaction as the change itself: both land, or neither.
/// </summary>
public interface IWebinarObserver
{
    Task RescheduledAsync(WebinarsDbContext db, Webinar webinar, Instant previousStart, Instant previousEnd, CancellationToken ct);

    Task CancelledAsync(WebinarsDbContext db, Webinar webinar, CancellationToken ct);
}
