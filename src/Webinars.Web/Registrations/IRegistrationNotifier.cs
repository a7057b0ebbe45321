using Webinars.Data;

namespace Webinars.Registrations;

/// <summary>
/// The messages an attendee gets. Each call only queues (in the outbox, on <c>db</c>), so the message is
/// saved in the same transaction as the change it reports: a crash loses neither, a retry sends it once.
/// </summary>
/// <remarks><c>accessToken</c> is the raw token for the manage link; it exists only at issue time.</remarks>
public interface IRegistrationNotifier
{
    void Confirmed(WebinarsDbContext db, Registration registration, string accessToken);
    void Waitlisted(WebinarsDbContext db, Registration registration, string accessToken);
    void PendingApproval(WebinarsDbContext db, Registration registration, string accessToken);
    /// <summary>Moved from the waitlist (or approval) to Confirmed.</summary>
    void Promoted(WebinarsDbContext db, Registration registration, string accessToken);
    void Declined(WebinarsDbContext db, Registration registration);
    void Cancelled(WebinarsDbContext db, Registration registration);
    /// <summary>A seat is held while the attendee pays on Stripe's Checkout page (paid webinars).</summary>
    void PaymentPending(WebinarsDbContext db, Registration registration, string accessToken);
    /// <summary>Moved from the waitlist of a paid webinar: a seat is held for them until they pay or the hold runs out.</summary>
    void SeatOffered(WebinarsDbContext db, Registration registration, string accessToken);
    /// <summary>"Send me my link again": a new token replaced the old one.</summary>
    void LinkResent(WebinarsDbContext db, Registration registration, string accessToken);
}
