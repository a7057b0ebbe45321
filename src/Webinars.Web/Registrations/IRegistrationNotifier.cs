using Webinars.Data;

namespace Webinars.Registrations;

/// <summary>
/// The messages an attendee gets. Each call only queues (in the outbox, on <paramref name="db"/>), so the message is
/// saved in the same transaction as the change it reports: a crash loses neither, a retry sends it once.
/// </summary>
/// <remarks><paramref name="accessToken"/> is the raw token for the manage link; it exists only at issue time.</remarks>
public interface IRegistrationNotifier
{
    void Confirmed(WebinarsDbContext db, Registration registration, string accessToken);
    void Waitlisted(WebinarsDbContext db, Registration registration, string accessToken);
    void PendingApproval(WebinarsDbContext db, Registration registration, string accessToken);
    /// <summary>Moved from the waitlist (or approval) to Confirmed.</summary>
    void Promoted(WebinarsDbContext db, Registration registration, string accessToken);
    void Declined(WebinarsDbContext db, Registration registration);
    void Cancelled(WebinarsDbContext db, Registration registration);
    /// <summary>"Send me my link again": a new token replaced the old one.</summary>
    void LinkResent(WebinarsDbContext db, Registration registration, string accessToken);
}
