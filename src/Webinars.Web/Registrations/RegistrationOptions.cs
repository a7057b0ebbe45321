using System.ComponentModel.DataAnnotations;

namespace Webinars.Registrations;

public sealed class RegistrationOptions
{
    public const string Section = "Registrations";

    /// <summary>How long before the start confirmed attendees see the join link on /webinars/{slug}/live.</summary>
    [Range(0, 7 * 24 * 60)]
    public int JoinLinkOpensBeforeMinutes { get; set; } = 15;

    /// <summary>
    /// TESTS ONLY: replaces the seat guard with a naive count-then-insert, so that the concurrency test can show it
    /// detects the overbooking the guard prevents. Never set it anywhere else.
    /// </summary>
    public bool UnsafeSeatGuardForTests { get; set; }
}
