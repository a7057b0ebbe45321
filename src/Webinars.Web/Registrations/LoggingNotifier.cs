using Webinars.Data;

namespace Webinars.Registrations;

// TEMPORARY: lets the registration branch run on its own. The email feature's outbox notifier replaces it at merge.
internal sealed class LoggingNotifier(ILogger<LoggingNotifier> logger) : IRegistrationNotifier
{
    public void Confirmed(WebinarsDbContext db, Registration registration, string accessToken) => Log("Confirmed", registration);
    public void Waitlisted(WebinarsDbContext db, Registration registration, string accessToken) => Log("Waitlisted", registration);
    public void PendingApproval(WebinarsDbContext db, Registration registration, string accessToken) => Log("PendingApproval", registration);
    public void Promoted(WebinarsDbContext db, Registration registration, string accessToken) => Log("Promoted", registration);
    public void Declined(WebinarsDbContext db, Registration registration) => Log("Declined", registration);
    public void Cancelled(WebinarsDbContext db, Registration registration) => Log("Cancelled", registration);
    public void LinkResent(WebinarsDbContext db, Registration registration, string accessToken) => Log("LinkResent", registration);

    private void Log(string message, Registration registration) =>
        logger.LogInformation("Would email {Message} for registration {Id}", message, registration.Id);
}
