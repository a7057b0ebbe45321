using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NodaTime;
using NodaTime.Text;

namespace Webinars.Data;

public static class NodaConverters
{
    public sealed class InstantToUnixTicks() : ValueConverter<Instant, long>(
        i => i.ToUnixTimeTicks(), t => Instant.FromUnixTimeTicks(t));

    public sealed class DurationToTicks() : ValueConverter<Duration, long>(
        d => d.BclCompatibleTicks, t => Duration.FromTicks(t));

    public sealed class OffsetToSeconds() : ValueConverter<Offset, int>(
        o => o.Seconds, s => Offset.FromSeconds(s));

    /// <summary>ISO text sorts in time order, so range queries on SQLite still work.</summary>
    public sealed class LocalDateTimeToText() : ValueConverter<LocalDateTime, string>(
        l => l.ToString("uuuu'-'MM'-'dd'T'HH':'mm':'ss.fffffffff", CultureInfo.InvariantCulture),
        s => LocalDateTimePattern.ExtendedIso.Parse(s).Value);
}
