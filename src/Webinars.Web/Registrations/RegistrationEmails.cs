using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Webinars.Data;
using Webinars.Email;
using Webinars.Infrastructure;
using Webinars.Time;
using Webinars.Webinars;

namespace Webinars.Registrations;

public static class MessageKinds
{
    public const string Confirmation = "confirmation";
    public const string Waitlisted = "waitlisted";
    public const string PendingApproval = "pending-approval";
    public const string Promoted = "promoted";
    public const string Declined = "declined";
    public const string Cancelled = "cancelled";
    public const string LinkResent = "link";
    public const string PaymentPending = "payment-pending";
    public const string SeatOffered = "seat-offered";
    public const string PaymentReceipt = "payment-receipt";
    public const string PaymentRefunded = "payment-refunded";
    public const string Rescheduled = "rescheduled";
    public const string WebinarCancelled = "webinar-cancelled";
    public const string Reminder = "reminder";
}

/// <summary>
/// The attendee's messages. Each is queued in the outbox on the caller's context (saved with the change it reports);
/// times are shown in the attendee's zone and the host's; invites carry the webinar's UID and SEQUENCE. The messages
/// that carry the manage link are queued with only their kind and token and written when sent (<see cref="WriteAsync"/>),
/// so a registration does no rendering while it holds a seat.
/// </summary>
public sealed class RegistrationEmails(IClock clock, IOptions<EmailOptions> email, IOptions<SiteOptions> site) : IRegistrationNotifier, IDeferredMail
{
    private static readonly LocalDateTimePattern Short = LocalDateTimePattern.Create("ddd H:mm", CultureInfo.InvariantCulture);

    public void Confirmed(WebinarsDbContext db, Registration registration, string accessToken) =>
        QueueWithLink(db, registration, MessageKinds.Confirmation, accessToken);

    public void Waitlisted(WebinarsDbContext db, Registration registration, string accessToken) =>
        QueueWithLink(db, registration, MessageKinds.Waitlisted, accessToken);

    public void PendingApproval(WebinarsDbContext db, Registration registration, string accessToken) =>
        QueueWithLink(db, registration, MessageKinds.PendingApproval, accessToken);

    public void Promoted(WebinarsDbContext db, Registration registration, string accessToken) =>
        QueueWithLink(db, registration, MessageKinds.Promoted, accessToken);

    public void LinkResent(WebinarsDbContext db, Registration registration, string accessToken) =>
        QueueWithLink(db, registration, MessageKinds.LinkResent, accessToken);

    public void PaymentPending(WebinarsDbContext db, Registration registration, string accessToken) =>
        QueueWithLink(db, registration, MessageKinds.PaymentPending, accessToken);

    public void SeatOffered(WebinarsDbContext db, Registration registration, string accessToken) =>
        QueueWithLink(db, registration, MessageKinds.SeatOffered, accessToken);

    /// <summary>The first message of a new registration, by the status it got.</summary>
    public static string ArrivalKind(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Confirmed => MessageKinds.Confirmation,
        RegistrationStatus.Waitlisted => MessageKinds.Waitlisted,
        RegistrationStatus.PendingApproval => MessageKinds.PendingApproval,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a status a registration arrives with."),
    };

    /// <summary>One key per issued link and kind: a retried unit of work queues its message once.</summary>
    public static string LinkKey(string kind, Guid registrationId, string accessToken) =>
        LinkKeyByHash(kind, registrationId, AccessTokens.Hash(accessToken));

    /// <summary><see cref="LinkKey"/> from the token's hash, when the caller has it already.</summary>
    public static string LinkKeyByHash(string kind, Guid registrationId, string accessTokenHash) =>
        $"{kind}:{registrationId}:{accessTokenHash[..16]}";

    /// <summary>The messages that carry the manage link are written when they are sent (see <see cref="WriteAsync"/>).</summary>
    private void QueueWithLink(WebinarsDbContext db, Registration registration, string kind, string accessToken) =>
        Outbox.QueueDeferred(db, new DeferredMail(kind, registration.Email, registration.Name, registration.Id, registration.WebinarId, accessToken),
            LinkKey(kind, registration.Id, accessToken), clock.GetCurrentInstant());

    /// <summary>Writes deferred messages from their registrations and webinars as they are now, loaded in one query.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> WriteAsync(WebinarsDbContext db, IReadOnlyList<OutboxMessage> rows, CancellationToken ct)
    {
        var unwritten = rows.Where(r => !r.IsWritten).ToList();
        if (unwritten.Count == 0) return [];
        var ids = unwritten.Select(r => r.RegistrationId).OfType<Guid>().Distinct().ToList();
        var registrations = await db.Registrations.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        // The webinars on their own, once each: a batch of a rush is 50 registrations of one webinar, and joined, its row
        // (with the description) came back and was materialised 50 times.
        var webinarIds = registrations.Values.Select(r => r.WebinarId).Distinct().ToList();
        var webinars = await db.Webinars.AsNoTracking().Where(w => webinarIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
        foreach (var registration in registrations.Values) registration.Webinar = webinars.GetValueOrDefault(registration.WebinarId)!;
        var gone = new List<OutboxMessage>();
        foreach (var row in unwritten)
        {
            var registration = row.RegistrationId is { } id ? registrations.GetValueOrDefault(id) : null;
            if (registration?.Webinar is not null && row.AccessToken is not null && Write(row.Kind, registration) is { } draft) Outbox.Write(row, draft);
            else gone.Add(row);
        }

        return gone;
    }

    /// <summary>The message with its link as <c>/r/~access-token~</c>: stored so, the token is put in only as it is sent.</summary>
    private MailDraft? Write(string kind, Registration registration)
    {
        var link = site.Value.Link($"/r/{MailMessages.TokenPlaceholder}");
        return kind switch
        {
            MessageKinds.Confirmation => Compose(registration, registration.Webinar, kind, w => $"You're registered: {w.Title}",
                (l, w) => Times(l.Paragraph($"Hello {registration.Name},").Paragraph($"You have a seat at “{w.Title}”. The calendar invite is attached."), w, registration)
                    .Link("Manage your registration (add to calendar, cancel)", link)
                    .Paragraph("This link is yours alone: it signs you in. Please don't forward this email."),
                Invite.Request),
            MessageKinds.Waitlisted => Compose(registration, registration.Webinar, kind, w => $"You're on the waitlist: {w.Title}",
                (l, w) => Times(l.Paragraph($"Hello {registration.Name},").Paragraph($"“{w.Title}” is full, so you are on the waitlist. If a seat frees up it is yours at once, and we will email you."), w, registration)
                    .Link("Manage your registration", link),
                Invite.None),
            MessageKinds.PendingApproval => Compose(registration, registration.Webinar, kind, w => $"Registration received: {w.Title}",
                (l, w) => Times(l.Paragraph($"Hello {registration.Name},").Paragraph($"Thank you for registering for “{w.Title}”. The organisers approve each registration; we will email you their answer."), w, registration)
                    .Link("Manage your registration", link),
                Invite.None),
            MessageKinds.Promoted => Compose(registration, registration.Webinar, kind, w => $"You have a seat: {w.Title}",
                (l, w) => Times(l.Paragraph($"Hello {registration.Name},").Paragraph($"Good news: you now have a seat at “{w.Title}”. The calendar invite is attached."), w, registration)
                    .Link("Manage your registration (add to calendar, cancel)", link)
                    .Paragraph("This link is yours alone: it signs you in. Please don't forward this email."),
                Invite.Request),
            MessageKinds.LinkResent => Compose(registration, registration.Webinar, kind, w => $"Your link for {w.Title}",
                (l, w) => Times(l.Paragraph($"Hello {registration.Name},").Paragraph($"Here is your new link for “{w.Title}”. Earlier links no longer work."), w, registration)
                    .Link("Manage your registration", link),
                Invite.None),
            MessageKinds.PaymentPending => Compose(registration, registration.Webinar, kind, w => $"Complete your payment: {w.Title}",
                (l, w) => Times(l.Paragraph($"Hello {registration.Name},").Paragraph($"A seat at “{w.Title}” is held for you while you pay. It is yours once the payment goes through; we will email your receipt."), w, registration)
                    .Link("Manage your registration (pay, cancel)", link)
                    .Paragraph("This link is yours alone: it signs you in. Please don't forward this email."),
                Invite.None),
            MessageKinds.SeatOffered => Compose(registration, registration.Webinar, kind, w => $"A seat is held for you: {w.Title}",
                (l, w) => Times(l.Paragraph($"Hello {registration.Name},").Paragraph($"Good news: a seat at “{w.Title}” freed up and is held for you. Pay within the next 30 minutes to keep it; after that it goes to the next person."), w, registration)
                    .Link("Pay and manage your registration", link)
                    .Paragraph("This link is yours alone: it signs you in. Please don't forward this email."),
                Invite.None),
            _ => null,
        };
    }

    public void Declined(WebinarsDbContext db, Registration registration) =>
        Queue(db, registration, MessageKinds.Declined, $"declined:{registration.Id}:{ChangeKey(registration)}", w => $"Registration not accepted: {w.Title}",
            (l, w) => l.Paragraph($"Hello {registration.Name},").Paragraph($"We are sorry: the organisers could not accept your registration for “{w.Title}”."),
            Invite.None);

    public void Cancelled(WebinarsDbContext db, Registration registration) =>
        Queue(db, registration, MessageKinds.Cancelled, $"cancelled:{registration.Id}:{ChangeKey(registration)}", w => $"Registration cancelled: {w.Title}",
            (l, w) => l.Paragraph($"Hello {registration.Name},").Paragraph($"Your registration for “{w.Title}” is cancelled. The attached file removes it from your calendar."),
            Invite.Cancel);

    /// <summary>A payment's own message (receipt, refund), keyed by the caller; the confirmed one carries the calendar invite.</summary>
    internal void PaymentMessage(WebinarsDbContext db, Webinar webinar, Registration registration, string kind, string key, string subject, IReadOnlyList<string> paragraphs, bool invite)
    {
        Queue(db, registration, kind, key, _ => subject, (l, w) =>
        {
            l.Paragraph($"Hello {registration.Name},");
            foreach (var p in paragraphs) l.Paragraph(p);
            return Times(l, w, registration).Link("Webinar page", site.Value.Link($"/webinars/{w.Slug}"));
        }, invite ? Invite.Request : Invite.None, webinar);
    }

    /// <summary>The webinar moved: what changed, in the attendee's zone; confirmed attendees get the updated invite.</summary>
    internal void Rescheduled(WebinarsDbContext db, Webinar webinar, Registration registration, Instant previousStart, Instant previousEnd)
    {
        var zone = ZoneOf(registration, webinar);
        var was = previousStart.InZone(zone).LocalDateTime;
        var now = webinar.StartsAt.InZone(zone).LocalDateTime;
        var change = $"was {Short.Format(was)}, now {Short.Format(now)} your time ({zone.Id})";
        Queue(db, registration, MessageKinds.Rescheduled, $"rescheduled:{registration.Id}:{webinar.Sequence}", w => $"New time: {w.Title}",
            (l, w) => l.Paragraph($"Hello {registration.Name},")
                .Paragraph($"“{w.Title}” has moved: {change}.")
                .Fact("Was", TimeText.For(previousStart, previousEnd - previousStart, zone).Text)
                .Fact("Now", TimeText.For(w.StartsAt, w.Length, zone).Text)
                .Fact("Host time", Headline(w))
                .Paragraph(registration.Status == RegistrationStatus.Confirmed ? "Your seat is kept. The attached invite updates your calendar." : "Your place in the queue is kept.")
                .Link("Webinar page", site.Value.Link($"/webinars/{w.Slug}")),
            registration.Status == RegistrationStatus.Confirmed ? Invite.Request : Invite.None, webinar);
    }

    internal void WebinarCancelled(WebinarsDbContext db, Webinar webinar, Registration registration) =>
        Queue(db, registration, MessageKinds.WebinarCancelled, $"webinar-cancelled:{registration.Id}:{webinar.Sequence}", w => $"Cancelled: {w.Title}",
            (l, w) => l.Paragraph($"Hello {registration.Name},")
                .Paragraph($"We are sorry: “{w.Title}”, planned for {TimeText.For(w.StartsAt, w.Length, ZoneOf(registration, w)).Text}, is cancelled.")
                .Paragraph(registration.Status == RegistrationStatus.Confirmed ? "The attached file removes it from your calendar." : "You don't need to do anything."),
            registration.Status == RegistrationStatus.Confirmed ? Invite.Cancel : Invite.None, webinar);

    /// <summary>A reminder's content; <see cref="ReminderRunner"/> queues it under its own key.</summary>
    internal MailDraft Reminder(Webinar webinar, Registration registration, Duration offset)
    {
        var when = offset.TotalMinutes % 60 == 0
            ? (offset.TotalHours == 1 ? "1 hour" : $"{offset.TotalHours:0} hours")
            : $"{offset.TotalMinutes:0} minutes";
        var letter = Times(new Letter().Paragraph($"Hello {registration.Name},").Paragraph($"“{webinar.Title}” starts in {when}."), webinar, registration)
            .Link("Join from the webinar page", site.Value.Link($"/webinars/{webinar.Slug}/live"))
            .Paragraph("The join link appears there shortly before the start, once you are signed in with the link from your confirmation email.");
        return Draft(MessageKinds.Reminder, registration, webinar, $"Starts in {when}: {webinar.Title}", letter, null);
    }

    private enum Invite { None, Request, Cancel }

    private void Queue(WebinarsDbContext db, Registration registration, string kind, string key, Func<Webinar, string> subject,
        Func<Letter, Webinar, Letter> body, Invite invite, Webinar? webinar = null)
    {
        Outbox.Queue(db, Compose(registration, webinar ?? WebinarOf(db, registration), kind, subject, body, invite), key, clock.GetCurrentInstant());
    }

    private MailDraft Compose(Registration registration, Webinar webinar, string kind, Func<Webinar, string> subject, Func<Letter, Webinar, Letter> body,
        Invite invite)
    {
        var now = clock.GetCurrentInstant();
        var page = site.Value.Link($"/webinars/{webinar.Slug}");
        var attachment = invite switch
        {
            Invite.Request => Invitations.Request(webinar, registration, email.Value.FromAddress, page, now),
            Invite.Cancel => Invitations.Cancel(webinar, registration, email.Value.FromAddress, page, now),
            _ => null,
        };
        return Draft(kind, registration, webinar, subject(webinar), body(new Letter(), webinar), attachment);
    }

    private static MailDraft Draft(string kind, Registration r, Webinar w, string subject, Letter letter, MailAttachment? attachment) =>
        new(kind, r.Email, r.Name, subject, letter.Text, letter.Html) { Attachment = attachment, RegistrationId = r.Id, WebinarId = w.Id };

    private static Letter Times(Letter letter, Webinar w, Registration r) =>
        letter.Fact("When (your time)", TimeText.For(w.StartsAt, w.Length, ZoneOf(r, w)).Text).Fact("Host time", Headline(w));

    private static string Headline(Webinar w) =>
        TimeText.Headline(w.StartsAt, w.Length, Zone(w.HostZoneId), w.DisplayZoneIds.Select(HostTime.FindZone).OfType<DateTimeZone>());

    private static DateTimeZone ZoneOf(Registration r, Webinar w) => HostTime.FindZone(r.TimeZoneId) ?? Zone(w.HostZoneId);

    private static DateTimeZone Zone(string id) => HostTime.FindZone(id) ?? DateTimeZone.Utc;

    private static Webinar WebinarOf(WebinarsDbContext db, Registration registration) =>
        registration.Webinar is { } loaded ? loaded : db.Webinars.Find(registration.WebinarId)
        ?? throw new InvalidOperationException($"Registration {registration.Id} has no webinar {registration.WebinarId}.");

    /// <summary>A one-off change (declined, cancelled) is keyed by the instant of the change.</summary>
    private string ChangeKey(Registration r) => (r.UpdatedAt == default ? clock.GetCurrentInstant() : r.UpdatedAt).ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture);
}
