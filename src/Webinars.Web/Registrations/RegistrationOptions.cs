using System.ComponentModel.DataAnnotations;

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

    /// <summary>
    /// TESTS ONLY: replaces the seat guard with a naive count-then-insert, so that the concurrency test can show it
    /// detects the overbooking the guard prevents. Never set it anywhere else.
    /// </summary>
    public bool UnsafeSeatGuardForTests { get; set; }
}
