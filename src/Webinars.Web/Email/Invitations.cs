using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using MimeKit;
using NodaTime;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Email;

/// <summary>
/// The calendar invite attached to messages (RFC 5545/5546): the same UID as the public .ics feed, SEQUENCE from the
/// webinar, the start in the host zone with its VTIMEZONE, and a display alarm 15 minutes before.
/// </summary>
public static class Invitations
{
    public const string FileName = "invite.ics";

    public static string Uid(Webinar webinar) => $"{webinar.Id}@webinars";

    public static MailAttachment Request(Webinar webinar, Registration registration, MailboxAddress organizer, string pageUrl, Instant now) =>
        new(FileName, "text/calendar; method=REQUEST; charset=utf-8", Build("REQUEST", webinar, registration, organizer, pageUrl, now));

    public static MailAttachment Cancel(Webinar webinar, Registration registration, MailboxAddress organizer, string pageUrl, Instant now) =>
        new(FileName, "text/calendar; method=CANCEL; charset=utf-8", Build("CANCEL", webinar, registration, organizer, pageUrl, now));

    private static string Build(string method, Webinar webinar, Registration registration, MailboxAddress organizer, string pageUrl, Instant now)
    {
        var hostZone = DateTimeZoneProviders.Tzdb[webinar.HostZoneId];
        var calendar = new Calendar { Method = method, ProductId = "-//Webinars//Webinars//EN" };
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(webinar.HostZoneId));
        var cancelled = method == "CANCEL";
        var calendarEvent = new CalendarEvent
        {
            Uid = Uid(webinar),
            Sequence = webinar.Sequence,
            DtStamp = Utc(now),
            DtStart = Local(webinar.StartsAt.InZone(hostZone).LocalDateTime, webinar.HostZoneId),
            DtEnd = Local(webinar.EndsAt.InZone(hostZone).LocalDateTime, webinar.HostZoneId),
            Summary = webinar.Title,
            Description = cancelled ? "This webinar registration is cancelled." : $"{webinar.Summary}\n\n{pageUrl}",
            Location = pageUrl,
            Url = new Uri(pageUrl),
            Status = cancelled ? "CANCELLED" : "CONFIRMED",
            Organizer = new Organizer("mailto:" + organizer.Address) { CommonName = organizer.Name },
        };
        calendarEvent.Attendees.Add(new Attendee("mailto:" + registration.Email)
        {
            CommonName = registration.Name,
            Role = "REQ-PARTICIPANT",
            ParticipationStatus = cancelled ? "DECLINED" : "ACCEPTED",
            Rsvp = false,
        });
        if (!cancelled)
        {
            calendarEvent.Alarms.Add(new Alarm
            {
                Action = "DISPLAY",
                Description = webinar.Title,
                Trigger = new Trigger(Ical.Net.DataTypes.Duration.FromMinutes(-15)),
            });
        }

        calendar.Events.Add(calendarEvent);
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    private static CalDateTime Local(LocalDateTime t, string zoneId) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, zoneId);

    private static CalDateTime Utc(Instant i)
    {
        var t = i.InUtc().LocalDateTime;
        return new CalDateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, "UTC");
    }
}
