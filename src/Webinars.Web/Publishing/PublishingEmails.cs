using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;
using Webinars.Email;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Publishing;

/// <summary>
/// The one message each confirmed registrant gets when the recording is published: thanks (attended) or "sorry we missed
/// you" (did not), plus, for askers, links to the moments their questions were answered. The outbox's unique dedupe key
/// (one per registration) makes it once, however often or on however many instances publishing runs.
/// </summary>
public static class PublishingEmails
{
    public const string Attended = "recording-thanks";
    public const string Missed = "recording-missed";

    public static string KeyFor(Guid registrationId) => $"published:{registrationId}";

    /// <summary>Queues the messages not yet queued; returns how many were added to <paramref name="db"/>.</summary>
    public static async Task<int> QueueAsync(
        WebinarsDbContext db, Webinar webinar, WebinarHappenings happenings, string pageUrl, Instant now, CancellationToken ct)
    {
        var registrants = await db.Registrations.AsNoTracking()
            .Where(r => r.WebinarId == webinar.Id && r.Status == RegistrationStatus.Confirmed)
            .Select(r => new { r.Id, r.Name, r.Email })
            .ToListAsync(ct);
        var keys = registrants.Select(r => KeyFor(r.Id)).ToList();
        var queued = (await db.OutboxMessages().AsNoTracking().Where(m => keys.Contains(m.DedupeKey)).Select(m => m.DedupeKey).ToListAsync(ct)).ToHashSet();
        var videoId = webinar.Publication!.VideoId!;
        var recording = new YouTubeLink(videoId, null).Url;
        var added = 0;
        foreach (var r in registrants.Where(r => !queued.Contains(KeyFor(r.Id))))
        {
            var attended = happenings.AttendedRegistrationIds.Contains(r.Id);
            var letter = new Letter().Paragraph($"Hello {r.Name},");
            if (attended)
            {
                letter.Paragraph($"Thank you for joining “{webinar.Title}”. The recording and a recap are now online.");
            }
            else
            {
                letter.Paragraph($"Sorry we missed you at “{webinar.Title}”. Here is the recording, and a recap of what was said.");
            }

            letter.Link("Watch the recording", recording).Link("Read the recap", pageUrl);
            foreach (var q in happenings.Questions.Where(q => q.AuthorRegistrationId == r.Id && q.IsAnswered).OrderBy(q => q.AnsweredAt))
            {
                letter.Paragraph($"Your question “{q.Text}” was answered:")
                    .Link("Watch the answer", YouTubeLink.At(videoId, RecapDraft.SecondsIntoVideo(webinar, q.AnsweredAt!.Value)));
            }

            var kind = attended ? Attended : Missed;
            var subject = attended ? $"Thank you — recording and recap: {webinar.Title}" : $"Sorry we missed you — here is the recording: {webinar.Title}";
            var draft = new MailDraft(kind, r.Email, r.Name, subject, letter.Text, letter.Html) { RegistrationId = r.Id, WebinarId = webinar.Id };
            if (Outbox.Queue(db, draft, KeyFor(r.Id), now) is not null) added++;
        }

        return added;
    }
}
