using Webinars.Webinars;

namespace Webinars.Registrations;

/// <summary>
/// The part of a registration change that belongs to paid webinars (Payments implements it). Each call runs inside the
/// change's transaction on the same context, so the payment's state moves together with the seat.
/// </summary>
public interface IPaidSeats
{
    /// <summary>A waitlisted person of a paid webinar gets the seat just taken for them: held until they pay.</summary>
    Task OfferAsync(Webinar webinar, Registration next, CancellationToken ct);

    /// <summary>The registration is being cancelled: an open checkout is closed, a payment is refunded when the cutoff allows.</summary>
    Task CancellingAsync(Registration registration, CancellationToken ct);
}

/// <summary>Registering for a paid webinar (Payments implements it): a held seat and a Checkout Session, or the waitlist.</summary>
public interface IPaidCheckout
{
    Task<PaidRegistration> RegisterAsync(Webinar webinar, NewRegistration input, CancellationToken ct);
}

/// <summary>
/// The outcome of a paid registration: a status (null with <see cref="Problem"/> when refused), the Checkout URL to send
/// the payer to, and the registration that this request created (so a page can sign its browser in).
/// </summary>
/// <param name="Repeat">The email was registered already (its link re-sent): a page answers without naming a status.</param>
public sealed record PaidRegistration(
    RegistrationStatus? Status, string? CheckoutUrl, Registration? Created, string? Problem = null, int ProblemStatus = 409, bool Repeat = false);
