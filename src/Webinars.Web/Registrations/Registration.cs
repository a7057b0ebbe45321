using System.ComponentModel.DataAnnotations;
using NodaTime;
using Webinars.Infrastructure;
using Webinars.Webinars;

namespace Webinars.Registrations;

public enum RegistrationStatus
{
    PendingApproval,
    PendingPayment,
    Confirmed,
    Waitlisted,
    Declined,
    Cancelled,
    Refunded,
}

/// <summary>One person's place at one webinar. The email is unique per webinar (a database index says so).</summary>
public sealed class Registration
{
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 254;
    public const int MaxOrganizationLength = 200;

    /// <summary>Time-ordered (UUIDv7), so new rows go to the end of the key's index.</summary>
    public Guid Id { get; set; } = Ids.NewV7();
    public Guid WebinarId { get; set; }
    public Webinar Webinar { get; set; } = null!;
    public required string Name { get; set; }
    /// <summary>Trimmed and lower-cased; the unique key together with <see cref="WebinarId"/>.</summary>
    public required string Email { get; set; }
    public string Organization { get; set; } = "";
    /// <summary>The attendee's IANA zone, for times in their messages.</summary>
    public required string TimeZoneId { get; set; }
    /// <summary>A concurrency token: two changes racing on one registration (a double cancel, two promotions) cannot both win.</summary>
    [ConcurrencyCheck]
    public RegistrationStatus Status { get; set; }
    /// <summary>SHA-256 of the access token; the token itself is only ever in the attendee's email.</summary>
    public required string AccessTokenHash { get; set; }
    /// <summary>
    /// SHA-256 of a token sent by "send my link again" and not opened yet. It replaces <see cref="AccessTokenHash"/>
    /// only when opened: whoever asks for a link for someone else's address signs nobody out.
    /// </summary>
    public string? PendingAccessTokenHash { get; set; }
    /// <summary>Arrival order for the waitlist.</summary>
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }
    public string? PaymentReference { get; set; }
    /// <summary>The ticket type chosen on a webinar that has types (kept on the waitlist too); null otherwise.</summary>
    public Guid? TicketTypeId { get; set; }
    public List<RegistrationAnswer> Answers { get; set; } = [];
}
