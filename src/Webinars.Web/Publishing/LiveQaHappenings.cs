using Microsoft.EntityFrameworkCore;
using Webinars.Data;
using Webinars.LiveQa;

namespace Webinars.Publishing;

/// <summary>
/// What the live Q&amp;A recorded: its questions (dismissed and merged-away ones left out) and the registrations seen
/// during the webinar.
/// </summary>
public sealed class LiveQaHappenings(WebinarsDbContext db) : IWebinarHappenings
{
    public async Task<WebinarHappenings> LoadAsync(Guid webinarId, CancellationToken ct)
    {
        var questions = await db.Questions.AsNoTracking()
            .Where(q => q.WebinarId == webinarId && q.Status != QuestionStatus.Dismissed && q.MergedIntoId == null)
            .OrderBy(q => q.AskedAt)
            .Select(q => new AskedQuestion(q.Id, q.AuthorRegistrationId, q.AuthorName, q.Anonymous, q.Text, q.Answer, q.AskedAt,
                q.Status == QuestionStatus.Answered ? q.AnsweredAt : null))
            .ToListAsync(ct);
        var attended = await db.Attendances.AsNoTracking().Where(a => a.WebinarId == webinarId).Select(a => a.RegistrationId).ToListAsync(ct);
        return new WebinarHappenings(questions, attended.ToHashSet());
    }
}
