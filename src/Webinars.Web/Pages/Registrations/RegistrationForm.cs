using NodaTime;
using Webinars.Data;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Pages.Registrations;

/// <summary>What the registration form shows: the webinar, why it takes no registrations (if so), and its questions.</summary>
public sealed record RegistrationForm(WebinarView Webinar, string? Refusal, IReadOnlyList<RegistrationQuestion> Questions)
{
    /// <summary>Built from the webinar the page has already loaded, so the form adds only the questions query.</summary>
    public static async Task<RegistrationForm> LoadAsync(WebinarsDbContext db, Webinar webinar, WebinarView view, Instant now, CancellationToken ct) =>
        new(view, RegistrationRules.Refusal(webinar, now), await RegistrationRules.QuestionsAsync(db, webinar.Id, ct));
}
