using System.ComponentModel.DataAnnotations;
using NodaTime;

namespace Webinars.Registrations;

public sealed class RegistrationOptions
{
    public const string Section = "Registrations";

    /// <summary>How long before the start confirmed attendees see the join link on /webinars/{slug}/live.</summary>
    [Range(0, 7 * 24 * 60)]
    public int JoinLinkOpensBeforeMinutes { get; set; } = 15;

    /// <summary>
    /// Registrations that may wait at once to be saved together during a rush (PostgreSQL); past that, 503 with
    /// Retry-After. At the rush benchmark's rates the queue holds well under a second of work.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxQueued { get; set; } = 4096;

    /// <summary>Days after the webinar's end that its magic links (and the sessions they gave) keep working.</summary>
    [Range(0, 3650)]
    public int LinkGraceDays { get; set; } = 30;

    /// <summary>True once a link for <paramref name="webinarEndsAt"/> no longer opens anything.</summary>
    public bool LinkExpired(Instant webinarEndsAt, Instant now) => now > webinarEndsAt + Duration.FromDays(LinkGraceDays);
}
