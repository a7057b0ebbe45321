using Webinars.Webinars;

namespace Webinars.Registrations;

/// <summary>When staff raise a webinar's capacity, the waitlist moves up at once (and each person is told).</summary>
internal sealed class WaitlistPromotion(RegistrationService registrations, ILogger<WaitlistPromotion> logger) : ISeatsAddedHandler
{
    public async Task SeatsAddedAsync(Webinar webinar, CancellationToken ct)
    {
        var promoted = await registrations.FillFreeSeatsAsync(webinar, ct);
        if (promoted > 0) logger.LogInformation("{Count} waitlisted registration(s) of {Webinar} promoted after a capacity change", promoted, webinar.Slug);
    }
}
