using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;

namespace Webinars.Pages.LiveQa;

/// <summary>One line of the moderator console's audit trail: when, who, what, and the question's text.</summary>
public sealed record QaTrailLine(Instant At, string Actor, string Action, string Question)
{
    public static async Task<IReadOnlyList<QaTrailLine>> ForAsync(WebinarsDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        var ids = entries.Select(e => Guid.TryParse(e.Subject, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList();
        var texts = await db.Questions.AsNoTracking().Where(q => ids.Contains(q.Id)).ToDictionaryAsync(q => q.Id.ToString(), q => q.Text, ct);
        return entries.Select(e => new QaTrailLine(
            e.At,
            e.Actor,
            e.Action.StartsWith("question.", StringComparison.Ordinal) ? e.Action["question.".Length..] : e.Action,
            texts.TryGetValue(e.Subject, out var text) ? text : e.Subject)).ToList();
    }
}
