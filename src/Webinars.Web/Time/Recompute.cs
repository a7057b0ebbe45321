using NodaTime;

namespace Webinars.Time;

/// <summary>A start recomputed against a (possibly newer) time-zone database.</summary>
public readonly record struct RecomputedStart(Instant StartsAt, Offset Offset, bool Moved);

/// <summary>Re-derives stored start instants after a time-zone database update.</summary>
public static class Recompute
{
    /// <summary>
    /// Maps the host's stored local start in <paramref name="hostZoneId"/> using <paramref name="provider"/>
    /// and reports whether the instant differs from <paramref name="storedStartUtc"/>.
    /// Throws <see cref="NodaTime.TimeZones.DateTimeZoneNotFoundException"/> if the provider no longer knows the zone.
    /// </summary>
    public static RecomputedStart Start(
        LocalDateTime localStart, string hostZoneId, Offset storedOffset, Instant storedStartUtc, IDateTimeZoneProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var zone = provider[hostZoneId];
        var mapping = zone.MapLocal(localStart);
        // The local time is what the host promised and nobody is at the keyboard to ask, so we must pick:
        // in a new gap, move forward by the gap (what a wall clock does, and never earlier than announced);
        // in a new overlap, keep the offset registrants were already told if it is still valid, else take
        // the earlier occurrence so nobody who trusts the old time arrives after the start.
        var resolved = mapping.Count switch
        {
            0 => zone.AtLeniently(localStart),
            1 => mapping.Single(),
            _ => mapping.Last().Offset == storedOffset ? mapping.Last() : mapping.First(),
        };
        var startsAt = resolved.ToInstant();
        return new RecomputedStart(startsAt, resolved.Offset, startsAt != storedStartUtc);
    }
}
