using System.ComponentModel.DataAnnotations;
using NodaTime;

namespace Webinars.Registrations;

public sealed class RegistrationOptions
{
    public const string Section = "Registrations";

    /// <summary>How long before the start confirmed attendees see the join link on /webinars/{slug}/live.</summary>
    [Range(0, 7 * 24 * 60)]
    public int JoinLinkOpensBeforeMinutes { get; set; } = 15;

    /// <summary>Days after the webinar's end that its magic links (and the sessions they gave) keep working.</summary>
    [Range(0, 3650)]
    public int LinkGraceDays { get; set; } = 30;

    /// <summary>True once a link for <paramref name="webinarEndsAt"/> no longer opens anything.</summary>
    public bool LinkExpired(Instant webinarEndsAt, Instant now) => now > webinarEndsAt + Duration.FromDays(LinkGraceDays);
}
