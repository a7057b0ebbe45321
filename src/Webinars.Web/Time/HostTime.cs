using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace Webinars.Time;

/// <summary>Turns what a host typed (local date-time, zone, optional offset) into an unambiguous start.</summary>
public static class HostTime
{
    private static readonly OffsetPattern ParseOffsetPattern = OffsetPattern.CreateWithInvariantCulture("+HH':'mm");

    /// <summary>
    /// Resolves <paramref name="localStart"/> in <paramref name="zone"/>. Gaps and overlaps are never guessed:
    /// they come back as a problem naming the valid alternatives. <paramref name="offset"/> picks one side
    /// of an overlap and, for a normal time, must agree with the zone.
    /// </summary>
    public static StartResolution Resolve(LocalDateTime localStart, DateTimeZone zone, Offset? offset)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var mapping = zone.MapLocal(localStart);
        return mapping.Count switch
        {
            0 => Gap(localStart, zone, mapping),
            1 => Single(localStart, zone, mapping.Single(), offset),
            _ => Overlap(localStart, zone, mapping, offset),
        };
    }

    /// <summary>Parses "Z", "+05:45", "-04:00".</summary>
    public static bool TryParseOffset(string? text, out Offset offset)
    {
        offset = Offset.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text == "Z")
        {
            return true;
        }

        var result = ParseOffsetPattern.Parse(text);
        if (!result.Success)
        {
            return false;
        }

        offset = result.Value;
        return true;
    }

    /// <summary>A tzdb zone by canonical or link id ("America/New_York", "US/Eastern"); null when unknown.</summary>
    public static DateTimeZone? FindZone(string? id) =>
        string.IsNullOrWhiteSpace(id) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);

    /// <summary>
    /// A zone by any of its ids, under its current canonical name ("Asia/Calcutta" → "Asia/Kolkata"), for showing to
    /// people: tzdb keeps old names as links, but pages should name a zone as it is called today.
    /// </summary>
    public static DateTimeZone? FindCurrentZone(string? id) => FindZone(id) is not { } zone ? null
        : CanonicalId(zone) is var canonical && canonical == "Etc/UTC" ? DateTimeZoneProviders.Tzdb["UTC"] // as people write it
        : DateTimeZoneProviders.Tzdb[canonical];

    /// <summary>
    /// The canonical tzdb id for a zone ("US/Eastern" → "America/New_York"), so links compare equal and
    /// stored host zones survive link shuffles between tzdb releases. Zones not from tzdb keep their id.
    /// </summary>
    public static string CanonicalId(DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return TzdbDateTimeZoneSource.Default.CanonicalIdMap.TryGetValue(zone.Id, out var canonical) ? canonical : zone.Id;
    }

    private static StartResolution Single(LocalDateTime local, DateTimeZone zone, ZonedDateTime only, Offset? offset)
    {
        if (offset is null || offset == only.Offset)
        {
            return StartResolution.Resolved(only);
        }

        var valid = Labelled(only);
        return StartResolution.Rejected(
            $"{TimeFormats.Local(local)} in {zone.Id} has offset {valid}, not {TimeFormats.Offset(offset.Value)}.",
            [valid]);
    }

    private static StartResolution Gap(LocalDateTime local, DateTimeZone zone, ZoneLocalMapping mapping)
    {
        var before = mapping.EarlyInterval;
        var after = mapping.LateInterval;
        // Wall-clock readings at the transition: the clock shows gapStart, then jumps to gapEnd.
        var gapStart = after.Start.WithOffset(before.WallOffset).LocalDateTime;
        var gapEnd = after.Start.WithOffset(after.WallOffset).LocalDateTime;
        var problem =
            $"{TimeFormats.Local(local)} does not exist in {zone.Id}: clocks jump from " +
            $"{TimeFormats.ClockOn(local.Date, gapStart)} to {TimeFormats.ClockOn(local.Date, gapEnd)} " +
            $"({before.Name} → {after.Name}).";
        return StartResolution.Rejected(
            problem,
            [TimeFormats.Local(gapStart.PlusMinutes(-1)), TimeFormats.Local(gapEnd)]);
    }

    private static StartResolution Overlap(LocalDateTime local, DateTimeZone zone, ZoneLocalMapping mapping, Offset? offset)
    {
        var earlier = mapping.First();
        var later = mapping.Last();
        if (offset == earlier.Offset)
        {
            return StartResolution.Resolved(earlier);
        }

        if (offset == later.Offset)
        {
            return StartResolution.Resolved(later);
        }

        string[] choices = [Labelled(earlier), Labelled(later)];
        // Wall-clock readings at the transition: the clock reaches backFrom, then shows backTo again.
        var backFrom = mapping.LateInterval.Start.WithOffset(mapping.EarlyInterval.WallOffset).LocalDateTime;
        var backTo = mapping.LateInterval.Start.WithOffset(mapping.LateInterval.WallOffset).LocalDateTime;
        var problem = offset is null
            ? $"{TimeFormats.Local(local)} occurs twice in {zone.Id}: clocks go back from " +
              $"{TimeFormats.ClockOn(local.Date, backFrom)} to {TimeFormats.ClockOn(local.Date, backTo)} " +
              $"({mapping.EarlyInterval.Name} → {mapping.LateInterval.Name}); send \"offset\" to choose {choices[0]} or {choices[1]}."
            : $"{TimeFormats.Local(local)} occurs twice in {zone.Id}, at {choices[0]} and at {choices[1]}, " +
              $"never at {TimeFormats.Offset(offset.Value)}; send one of those offsets.";
        return StartResolution.Rejected(problem, choices);
    }

    private static string Labelled(ZonedDateTime value) =>
        $"{TimeFormats.Offset(value.Offset)} ({value.GetZoneInterval().Name})";
}
