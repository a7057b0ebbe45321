using NodaTime;

namespace Webinars.Time;

/// <summary>
/// A webinar's start and end as read in one zone, with tzdb's abbreviation (EST, CEST, +0545)
/// and the ready-made en-US <see cref="Text"/>.
/// </summary>
public sealed record DisplayTime(string Zone, string Abbreviation, LocalDateTime LocalStart, LocalDateTime LocalEnd, string Text)
{
    /// <summary>The abbreviation at the end; differs from <see cref="Abbreviation"/> when clocks change mid-event.</summary>
    public string EndAbbreviation { get; init; } = Abbreviation;
}
