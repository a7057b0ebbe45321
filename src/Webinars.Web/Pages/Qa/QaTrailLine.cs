using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;

namespace Webinars.Pages.Qa;

/// <summary>One line of the moderator console's audit trail: when, who, what, and the question's text.</summary>
public sealed record QaTrailLine(Instant At, string Actor, string Action, string Question)
{
    // The audit trail's action names (LiveQa/QaModeration.cs), as the console says them.
    private static readonly Dictionary<string, string> Done = new(StringComparer.Ordinal)
    {
        ["question.approve"] = "approved",
        ["question.dismiss"] = "dismissed",
        ["question.restore"] = "restored",
        ["question.answer"] = "marked answered",
        ["question.pin"] = "pinned",
        ["question.unpin"] = "unpinned",
        ["question.merge"] = "merged",
        ["question.unmerge"] = "unmerged",
    };

    public static async Task<IReadOnlyList<QaTrailLine>> ForAsync(WebinarsDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        var ids = entries.Select(e => Guid.TryParse(e.Subject, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList();
        var texts = await db.Questions.AsNoTracking().Where(q => ids.Contains(q.Id)).ToDictionaryAsync(q => q.Id.ToString(), q => q.Text, ct);
        return entries.Select(e => new QaTrailLine(
            e.At,
            e.Actor,
            Done.GetValueOrDefault(e.Action, e.Action),
            texts.TryGetValue(e.Subject, out var text) ? text : e.Subject)).ToList();
    }
}
