using NodaTime;

namespace Webinars.Time;

/// <summary>
/// The outcome of turning a host's local start time into a point on the time line:
/// either <see cref="Start"/>, or a <see cref="Problem"/> sentence with the valid <see cref="Alternatives"/>.
/// </summary>
public sealed record StartResolution(ZonedDateTime? Start, string? Problem, IReadOnlyList<string> Alternatives)
{
    public bool IsResolved => Start is not null;

    public static StartResolution Resolved(ZonedDateTime start) => new(start, null, []);

    public static StartResolution Rejected(string problem, IReadOnlyList<string> alternatives) =>
        new(null, problem, alternatives);
}
