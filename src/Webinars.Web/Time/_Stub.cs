// TEMPORARY STUB - replaced by the time branch
using NodaTime;
namespace Webinars.Time;
public sealed record StartResolution(ZonedDateTime? Start, string? Problem, IReadOnlyList<string> Alternatives);
public sealed record DisplayTime(string Zone, string Abbreviation, LocalDateTime LocalStart, LocalDateTime LocalEnd, string Text);
public static class HostTime
{
    public static StartResolution Resolve(LocalDateTime localStart, DateTimeZone zone, Offset? offset) => new(zone.AtLeniently(localStart), null, []);
    public static bool TryParseOffset(string text, out Offset offset) { offset = Offset.Zero; return true; }
    public static DateTimeZone? FindZone(string? id) => id is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);
}
public static class TimeText
{
    public static DisplayTime For(Instant start, Duration length, DateTimeZone zone) => new(zone.Id, "X", start.InZone(zone).LocalDateTime, (start + length).InZone(zone).LocalDateTime, "x");
    public static string ShortRange(DisplayTime t) => "x";
    public static string Headline(Instant start, Duration length, DateTimeZone host, IEnumerable<DateTimeZone> others) => "x";
}
public static class Schedule { public static ZonedDateTime Rederive(LocalDateTime l, DateTimeZone z, Offset o) => z.AtLeniently(l); }
