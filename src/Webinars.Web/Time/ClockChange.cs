using NodaTime;
using NodaTime.Text;

namespace Webinars.Time;

/// <summary>One side of a time that happens twice: the offset that picks it and the name people know it by (EDT).</summary>
public sealed record ClockChangeChoice(string Offset, string Abbreviation);

/// <summary>
/// A local start that falls in a clock change, in parts a form can word in the reader's own format: for a gap the
/// first valid time after it (<see cref="Suggestion"/>), for an overlap the two <see cref="Choices"/> (earlier first).
/// Local date-times are ISO ("2027-03-14T02:30") for the form's datetime-local input to take as they are.
/// </summary>
public sealed record ClockChange(
    string Kind, string Zone, string LocalStart, string ClocksFrom, string ClocksTo, string Before, string After,
    string? Suggestion, IReadOnlyList<ClockChangeChoice> Choices)
{
    public const string Gap = "gap";
    public const string Overlap = "overlap";

    private static readonly LocalTimePattern Clock = LocalTimePattern.CreateWithInvariantCulture("h':'mm tt");
    private static readonly LocalDatePattern Day = LocalDatePattern.CreateWithInvariantCulture("ddd d MMM uuuu");

    /// <summary>Null when <paramref name="local"/> happens exactly once in <paramref name="zone"/>.</summary>
    public static ClockChange? For(LocalDateTime local, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var mapping = zone.MapLocal(local);
        if (mapping.Count == 1) return null;
        var before = mapping.EarlyInterval;
        var after = mapping.LateInterval;
        // Wall-clock readings at the transition: the clock reaches "from", then shows "to".
        var from = after.Start.WithOffset(before.WallOffset).LocalDateTime;
        var to = after.Start.WithOffset(after.WallOffset).LocalDateTime;
        if (mapping.Count == 0)
        {
            return new ClockChange(Gap, zone.Id, TimeFormats.Local(local), TimeFormats.Local(from), TimeFormats.Local(to), before.Name, after.Name,
                TimeFormats.Local(to), []);
        }

        return new ClockChange(Overlap, zone.Id, TimeFormats.Local(local), TimeFormats.Local(from), TimeFormats.Local(to), before.Name, after.Name, null,
            [new(TimeFormats.Offset(mapping.First().Offset), before.Name), new(TimeFormats.Offset(mapping.Last().Offset), after.Name)]);
    }

    /// <summary>The sentence for a page without script, in words rather than ISO; staff.js words it in the browser's format.</summary>
    public string Sentence()
    {
        var local = Parse(LocalStart);
        var on = $"{Clock.Format(local.TimeOfDay)} on {Day.Format(local.Date)}";
        return Kind == Gap
            ? $"{on} does not exist in {Zone}: clocks jump from {Clock.Format(Parse(ClocksFrom).TimeOfDay)} to {Clock.Format(Parse(ClocksTo).TimeOfDay)} ({Before} → {After})."
            : $"{on} happens twice in {Zone}: clocks go back from {Clock.Format(Parse(ClocksFrom).TimeOfDay)} to {Clock.Format(Parse(ClocksTo).TimeOfDay)} ({Before} → {After}). Which one?";
    }

    /// <summary>The words on a choice's button: "Use 3:00 AM", "first 1:30 AM EDT".</summary>
    public string SuggestionLabel => Suggestion is null ? "" : "Use " + Clock.Format(Parse(Suggestion).TimeOfDay);

    public string ChoiceLabel(int index) =>
        $"{(index == 0 ? "first" : "second")} {Clock.Format(Parse(LocalStart).TimeOfDay)} {Choices[index].Abbreviation}";

    private static readonly LocalDateTimePattern Minutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");

    // TimeFormats.Local wrote these: seconds only when there are some.
    private static LocalDateTime Parse(string text) =>
        Minutes.Parse(text) is { Success: true } minutes ? minutes.Value : LocalDateTimePattern.ExtendedIso.Parse(text).GetValueOrThrow();
}
