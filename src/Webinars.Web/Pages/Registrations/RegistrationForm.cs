using NodaTime;
using Webinars.Data;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Pages.Registrations;

/// <summary>How the registration section is rendered (see _RegistrationForm.cshtml).</summary>
public enum RegistrationCard
{
    /// <summary>The form, on the register page.</summary>
    Form,
    /// <summary>On the kept announcement page: seats and price, and where the card loads from (a link without script).</summary>
    Placeholder,
    /// <summary>The card the announcement page loads for this device: the form, or its registration.</summary>
    Fragment,
}

/// <summary>
/// What the registration section shows: the webinar, why it takes no registrations (if so), its questions, and — for a
/// device that opened its link — that registration's status instead of an empty form.
/// </summary>
public sealed record RegistrationForm(
    WebinarView Webinar, string? Refusal, IReadOnlyList<RegistrationQuestion> Questions,
    RegistrationCard Card = RegistrationCard.Form, RegistrationStatus? Registered = null)
{
    /// <summary>Built from the webinar the page has already loaded, so the form adds only the questions query.</summary>
    public static async Task<RegistrationForm> LoadAsync(WebinarsDbContext db, Webinar webinar, WebinarView view, Instant now, CancellationToken ct) =>
        new(view, RegistrationRules.Refusal(webinar, now), await RegistrationRules.QuestionsAsync(db, webinar.Id, ct));

    public static RegistrationForm Placeholder(Webinar webinar, WebinarView view, Instant now) =>
        new(view, RegistrationRules.Refusal(webinar, now), [], RegistrationCard.Placeholder);

    /// <summary>The address of the card this page loads (an uncached part of the register page).</summary>
    public static string CardUrl(string slug) => $"/webinars/{slug}/register?handler=Card";

    /// <summary>Statuses that hold or wait for a seat: the device sees its registration, not the form.</summary>
    public static bool Holds(RegistrationStatus status) =>
        status is RegistrationStatus.Confirmed or RegistrationStatus.Waitlisted or RegistrationStatus.PendingApproval or RegistrationStatus.PendingPayment;
}
