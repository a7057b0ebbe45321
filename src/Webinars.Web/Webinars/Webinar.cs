using NodaTime;
using Webinars.Publishing;
using Webinars.Topics;

namespace Webinars.Webinars;

/// <summary>
/// A webinar is scheduled as a local date-time in its host zone; <see cref="StartsAt"/> is derived from it
/// (and re-derived when the time-zone database changes), never the other way round.
/// </summary>
public sealed class Webinar
{
    public const int MaxTitleLength = 200;
    public const int MaxSummaryLength = 20000;
    public const int MaxSlugLength = 120;
    public const int MaxJoinUrlLength = 2000;
    public const int MaxDisplayZones = 8;
    public const int MaxSpeakers = 30;

    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Slug { get; set; }
    public Guid TopicId { get; set; }
    public Topic Topic { get; set; } = null!;
    public required string Title { get; set; }
    public string Summary { get; set; } = "";
    public string SummaryHtml { get; set; } = "";

    public required string HostZoneId { get; set; }
    public LocalDateTime LocalStart { get; set; }
    /// <summary>The offset in force at the start; it picks one side of a DST overlap.</summary>
    public Offset StartOffset { get; set; }
    public Instant StartsAt { get; set; }
    public Instant EndsAt { get; set; }
    public int DurationMinutes { get; set; }
    public List<string> DisplayZoneIds { get; set; } = [];

    public int? Capacity { get; set; }
    public bool Waitlist { get; set; } = true;
    public bool RequiresApproval { get; set; }
    /// <summary>Seats taken by confirmed registrations; changed only by the conditional update in the seat guard.</summary>
    public int SeatsTaken { get; set; }
    public Instant? RegistrationOpensAt { get; set; }
    public Instant? RegistrationClosesAt { get; set; }
    public long? PriceAmount { get; set; }
    public string? PriceCurrency { get; set; }
    public string? JoinUrl { get; set; }

    public WebinarStatus Status { get; set; } = WebinarStatus.Draft;
    /// <summary>iCalendar SEQUENCE: bumped on every change an attendee's calendar must follow.</summary>
    public int Sequence { get; set; }
    /// <summary>
    /// Bumped by every staff change (edit, announce, cancel): the concurrency token that turns two editors saving at once
    /// into a "changed by someone else" for the second, never a silent overwrite. Seats move without it.
    /// </summary>
    public int Version { get; set; }
    /// <summary>When it was announced; a webinar never announced stays private even once cancelled.</summary>
    public Instant? AnnouncedAt { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }

    /// <summary>Live Q&amp;A: new questions wait for a moderator (true) or are shown at once ("no moderation").</summary>
    public bool QaModerated { get; set; } = true;
    /// <summary>Staff closed the Q&amp;A at this instant; it stays closed whatever the clock says until reopened.</summary>
    public Instant? QaClosedAt { get; set; }
    /// <summary>Staff opened the Q&amp;A by hand: it is open outside the automatic window too, until closed.</summary>
    public bool QaOpenedByStaff { get; set; }
    /// <summary>SHA-256 of the presenter link's key (LiveQa/PresenterLinks.cs); null until staff make one.</summary>
    public string? PresenterKeyHash { get; set; }

    public List<Speaker> Speakers { get; set; } = [];
    /// <summary>The recording and recap, once staff add them (see Publishing/).</summary>
    public Publication? Publication { get; set; }
    /// <summary>A paid webinar's ticket types (see Payments/TicketType.cs); none: one price, <see cref="PriceAmount"/>.</summary>
    public List<Payments.TicketType> TicketTypes { get; set; } = [];

    public Duration Length => Duration.FromMinutes(DurationMinutes);
    public bool IsFree => PriceAmount is null;
    /// <summary>Whether readers (not only staff) may see it.</summary>
    public bool IsPublic => AnnouncedAt is not null;
    public int? SeatsLeft => Capacity is int c ? Math.Max(0, c - SeatsTaken) : null;
}
