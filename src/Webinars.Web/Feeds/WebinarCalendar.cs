using System.Collections.Concurrent;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;
using NodaTime.Text;
using Webinars.Webinars;

namespace Webinars.Feeds;

/// <summary>The person an emailed invitation (METHOD:REQUEST or CANCEL) is for, and who sends it.</summary>
public sealed record CalendarInvitee(
    string Email,
    string? Name,
    string OrganizerEmail,
    string? OrganizerName,
    string ParticipationStatus = "ACCEPTED");

/// <summary>
/// iCalendar (RFC 5545/5546) for webinars: the .ics download, the subscribable topic calendar and the invitations
/// attached to emails all come from here, so a webinar has one UID everywhere and its SEQUENCE decides which copy
/// a calendar keeps. Times are written in the host zone (TZID plus a VTIMEZONE), as people will read them.
/// </summary>
public static class WebinarCalendar
{
    public const string ContentType = "text/calendar; charset=utf-8";
    public const string ProductId = "-//Webinars//Webinars//EN";
    public const string Publish = "PUBLISH";
    public const string Request = "REQUEST";
    public const string Cancel = "CANCEL";
    private const int MaxCachedInvitations = 256;
    private static readonly ConcurrentDictionary<string, string> CachedInvitations = new(StringComparer.Ordinal);
    private static readonly InstantPattern StampPattern = InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");

    /// <summary>The event's UID: the webinar's id never changes, unlike its slug or title.</summary>
    public static string Uid(Webinar webinar) => $"{webinar.Id}@webinars";

    /// <summary>PUBLISH for a webinar that takes place, CANCEL for one that was cancelled.</summary>
    public static string MethodFor(Webinar webinar) => webinar.Status == WebinarStatus.Cancelled ? Cancel : Publish;

    /// <summary>A calendar with one event for <paramref name="webinar"/>.</summary>
    /// <param name="pageUrl">The webinar's public page, absolute.</param>
    /// <param name="method">PUBLISH, REQUEST or CANCEL (see <see cref="MethodFor"/>); CANCEL marks the event cancelled.</param>
    /// <param name="stamp">DTSTAMP: when this copy was made (an email's send time) or last revised (a download).</param>
    /// <param name="invitee">For an emailed invitation: adds ATTENDEE and ORGANIZER.</param>
    /// <param name="alarmBefore">Adds a display VALARM this long before the start.</param>
    public static Calendar Build(Webinar webinar, string pageUrl, string method, Instant stamp,
        CalendarInvitee? invitee = null, NodaTime.Duration? alarmBefore = null)
    {
        var calendar = NewCalendar(method);
        AddZones(calendar, [webinar]);
        var calendarEvent = Event(webinar, pageUrl, stamp, cancelled: method == Cancel || webinar.Status == WebinarStatus.Cancelled);
        if (invitee is not null)
        {
            calendarEvent.Organizer = new Organizer("mailto:" + invitee.OrganizerEmail) { CommonName = invitee.OrganizerName };
            calendarEvent.Attendees.Add(Attendee(invitee));
        }

        if (alarmBefore is NodaTime.Duration before && method != Cancel)
        {
            calendarEvent.Alarms.Add(new Alarm
            {
                Action = "DISPLAY",
                Description = webinar.Title,
                Trigger = new Trigger(Ical.Net.DataTypes.Duration.FromTimeSpanExact(-before.ToTimeSpan())),
            });
        }

        calendar.Events.Add(calendarEvent);
        return calendar;
    }

    /// <summary>
    /// <see cref="Build"/> with an invitee, serialized: the same text, but the calendar (with its VTIMEZONE, the costly
    /// part: about 3 ms a message, more than sending it) is built once per webinar version and method, and only the
    /// invitee's ATTENDEE line and the DTSTAMP are made per message. 10,000 confirmations cost one calendar, not 10,000.
    /// </summary>
    public static string SerializeInvitation(Webinar webinar, string pageUrl, string method, Instant stamp, CalendarInvitee invitee,
        NodaTime.Duration? alarmBefore = null)
    {
        var key = string.Join('\n', webinar.Id, webinar.Sequence, webinar.Status, webinar.Title, webinar.Summary, webinar.HostZoneId,
            webinar.StartsAt.ToUnixTimeTicks(), webinar.EndsAt.ToUnixTimeTicks(), webinar.CreatedAt.ToUnixTimeTicks(), webinar.UpdatedAt.ToUnixTimeTicks(),
            string.Join(',', webinar.DisplayZoneIds), pageUrl, method, invitee.OrganizerEmail, invitee.OrganizerName, alarmBefore?.BclCompatibleTicks);
        if (CachedInvitations.Count > MaxCachedInvitations) CachedInvitations.Clear(); // old versions and past webinars; rebuilt on demand
        var template = CachedInvitations.GetOrAdd(key, _ => Serialize(Build(webinar, pageUrl, method, stamp, invitee with { Email = "invitee@invalid", Name = null }, alarmBefore)));

        return Replace(Replace(template, "ATTENDEE", AttendeeLines(invitee)), "DTSTAMP", $"DTSTAMP:{StampPattern.Format(stamp)}\r\n");
    }

    /// <summary>
    /// The invitee's ATTENDEE line as Ical.Net writes it: written here for plain ASCII names and addresses (a CN with
    /// <c>,;:</c> quoted, folded at 75 octets), which saves serializing a calendar per message; anything else (non-ASCII,
    /// quotes, control characters) from Ical.Net itself.
    /// </summary>
    private static string AttendeeLines(CalendarInvitee invitee)
    {
        static bool Plain(string? s) => s is null || (s.Length > 0 && s.All(c => c is >= ' ' and <= '~' and not '"'));
        if (!Plain(invitee.Name) || !Plain(invitee.Email) || !Plain(invitee.ParticipationStatus))
        {
            var single = new CalendarEvent();
            single.Attendees.Add(Attendee(invitee));
            return Lines(new CalendarSerializer().SerializeToString(new Calendar { Events = { single } }) ?? "", "ATTENDEE");
        }

        var name = invitee.Name is null ? "" : invitee.Name.AsSpan().IndexOfAny(",;:") >= 0 ? $"CN=\"{invitee.Name}\";" : $"CN={invitee.Name};";
        var line = $"ATTENDEE;{name}ROLE=REQ-PARTICIPANT;PARTSTAT={invitee.ParticipationStatus};RSVP=FALSE:mailto:{invitee.Email}";
        var folded = new System.Text.StringBuilder(line.Length + 16);
        for (var at = 0; at < line.Length; at += at == 0 ? 75 : 74)
        {
            if (at > 0) folded.Append(' ');
            folded.Append(line.AsSpan(at, Math.Min(at == 0 ? 75 : 74, line.Length - at))).Append("\r\n");
        }

        return folded.ToString();
    }

    /// <summary>The property's line with its folded continuations (lines starting with a space), the line breaks kept.</summary>
    private static string Lines(string text, string name)
    {
        var start = text.IndexOf("\r\n" + name, StringComparison.Ordinal) + 2;
        if (start < 2) throw new InvalidOperationException($"No {name} line in the calendar.");
        var end = text.IndexOf("\r\n", start, StringComparison.Ordinal) + 2;
        while (end < text.Length && text[end] == ' ') end = text.IndexOf("\r\n", end, StringComparison.Ordinal) + 2;
        return text[start..end];
    }

    private static string Replace(string text, string name, string lines)
    {
        var old = Lines(text, name);
        var start = text.IndexOf("\r\n" + name, StringComparison.Ordinal) + 2;
        return string.Concat(text.AsSpan(0, start), lines, text.AsSpan(start + old.Length));
    }

    private static Attendee Attendee(CalendarInvitee invitee) => new("mailto:" + invitee.Email)
    {
        CommonName = invitee.Name,
        Role = "REQ-PARTICIPANT",
        ParticipationStatus = invitee.ParticipationStatus,
        Rsvp = false,
    };

    /// <summary>
    /// A calendar to subscribe to (METHOD:PUBLISH): every webinar given, cancelled ones with STATUS:CANCELLED so
    /// subscribers' copies are marked rather than silently dropped. DTSTAMP is each webinar's last revision.
    /// </summary>
    public static Calendar BuildSubscription(string name, string description, IReadOnlyList<Webinar> webinars, Func<Webinar, string> pageUrl)
    {
        var calendar = NewCalendar(Publish);
        calendar.Properties.Set("X-WR-CALNAME", name);
        calendar.Properties.Set("X-WR-CALDESC", description);
        calendar.Properties.Set("NAME", name);
        calendar.Properties.Set("X-PUBLISHED-TTL", "PT1H");
        AddZones(calendar, webinars);
        foreach (var webinar in webinars)
        {
            calendar.Events.Add(Event(webinar, pageUrl(webinar), webinar.UpdatedAt, cancelled: webinar.Status == WebinarStatus.Cancelled));
        }

        return calendar;
    }

    public static string Serialize(Calendar calendar) => new CalendarSerializer().SerializeToString(calendar) ?? "";

    private static Calendar NewCalendar(string method) => new() { ProductId = ProductId, Method = method, Scale = "GREGORIAN" };

    private static CalendarEvent Event(Webinar webinar, string pageUrl, Instant stamp, bool cancelled)
    {
        var zone = DateTimeZoneProviders.Tzdb[webinar.HostZoneId];
        return new CalendarEvent
        {
            Uid = Uid(webinar),
            Sequence = webinar.Sequence,
            DtStamp = Utc(stamp),
            Created = Utc(webinar.CreatedAt),
            LastModified = Utc(webinar.UpdatedAt),
            DtStart = At(webinar.StartsAt, zone),
            DtEnd = At(webinar.EndsAt, zone),
            Summary = cancelled ? $"Cancelled: {webinar.Title}" : webinar.Title,
            Description = Description(webinar, pageUrl, cancelled),
            Location = pageUrl,
            Url = new Uri(pageUrl),
            Status = cancelled ? "CANCELLED" : "CONFIRMED",
            Transparency = "OPAQUE",
        };
    }

    private static string Description(Webinar webinar, string pageUrl, bool cancelled)
    {
        var summary = Markdig.Markdown.ToPlainText(webinar.Summary).Trim();
        var parts = new List<string> { (cancelled ? "Cancelled. " : "") + WebinarFeedEntries.Headline(webinar) };
        if (summary.Length > 0) parts.Add(summary);
        parts.Add(pageUrl);
        return string.Join("\n\n", parts);
    }

    /// <summary>
    /// One VTIMEZONE per host zone, covering the earliest event in it onwards. Ical.Net refuses a start more than about
    /// a year ahead of today, so the coverage starts no later than the last edit (always in the past); the recurring
    /// rules it writes carry on into the future.
    /// </summary>
    private static void AddZones(Calendar calendar, IEnumerable<Webinar> webinars)
    {
        foreach (var group in webinars.GroupBy(w => w.HostZoneId))
        {
            var zone = DateTimeZoneProviders.Tzdb[group.Key];
            var earliest = Instant.Min(group.Min(w => w.StartsAt), group.Min(w => w.UpdatedAt)).InZone(zone).LocalDateTime;
            calendar.AddTimeZone(VTimeZone.FromDateTimeZone(group.Key, earliest.ToDateTimeUnspecified(), includeHistoricalData: false));
        }
    }

    /// <summary>
    /// The instant as a local time with TZID. A local time that occurs twice (a DST overlap) means the first of the
    /// two in RFC 5545, so the second one is written in UTC instead: never ambiguous, never an hour off.
    /// </summary>
    private static CalDateTime At(Instant instant, DateTimeZone zone)
    {
        var local = instant.InZone(zone).LocalDateTime;
        var mapping = zone.MapLocal(local);
        if (mapping.Count == 2 && mapping.First().ToInstant() != instant) return Utc(instant);
        return new CalDateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second, zone.Id);
    }

    private static CalDateTime Utc(Instant instant)
    {
        var t = instant.InUtc().LocalDateTime;
        return new CalDateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, CalDateTime.UtcTzId);
    }
}
