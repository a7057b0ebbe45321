using NodaTime;

namespace Webinars.Time;

public static class Schedule
{
    /// <summary>
    /// The start that a stored local time means under the current time-zone database. Unlike <see cref="HostTime.Resolve"/>
    /// this must always answer (the webinar is already announced): a time that fell into a new gap moves forward by the
    /// gap's length, as clocks do; in a new overlap the offset chosen before wins when it is still one of the two.
    /// </summary>
    public static ZonedDateTime Rederive(LocalDateTime localStart, DateTimeZone zone, Offset storedOffset)
    {
        var mapping = zone.MapLocal(localStart);
        return mapping.Count switch
        {
            0 => zone.AtLeniently(localStart),
            1 => mapping.Single(),
            _ => mapping.Last().Offset == storedOffset ? mapping.Last() : mapping.First(),
        };
    }
}
