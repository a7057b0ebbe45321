using MimeKit;
using NodaTime;
using Webinars.Feeds;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Email;

/// <summary>
/// The calendar invite attached to messages (RFC 5545/5546), built by <see cref="WebinarCalendar"/> so it has the same
/// UID and SEQUENCE as the public .ics: the start in the host zone with its VTIMEZONE, and an alarm 15 minutes before.
/// </summary>
public static class Invitations
{
    public const string FileName = "invite.ics";
    private static readonly Duration AlarmBefore = Duration.FromMinutes(15);

    public static string Uid(Webinar webinar) => WebinarCalendar.Uid(webinar);

    public static MailAttachment Request(Webinar webinar, Registration registration, MailboxAddress organizer, string pageUrl, Instant now) =>
        new(FileName, "text/calendar; method=REQUEST; charset=utf-8", Build(WebinarCalendar.Request, webinar, registration, organizer, pageUrl, now));

    public static MailAttachment Cancel(Webinar webinar, Registration registration, MailboxAddress organizer, string pageUrl, Instant now) =>
        new(FileName, "text/calendar; method=CANCEL; charset=utf-8", Build(WebinarCalendar.Cancel, webinar, registration, organizer, pageUrl, now));

    private static string Build(string method, Webinar webinar, Registration registration, MailboxAddress organizer, string pageUrl, Instant now)
    {
        var invitee = new CalendarInvitee(registration.Email, registration.Name, organizer.Address, organizer.Name,
            method == WebinarCalendar.Cancel ? "DECLINED" : "ACCEPTED");
        return WebinarCalendar.SerializeInvitation(webinar, pageUrl, method, now, invitee, AlarmBefore);
    }
}
