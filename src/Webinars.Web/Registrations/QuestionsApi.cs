using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Webinars;

namespace Webinars.Registrations;

public sealed record QuestionView(Guid Id, QuestionKind Kind, string Label, bool Required, IReadOnlyList<string> Options, int Order)
{
    public static QuestionView From(RegistrationQuestion q) => new(q.Id, q.Kind, q.Label, q.Required, q.Options, q.Order);
}

public sealed record QuestionInput(Guid? Id, string? Kind, string? Label, bool? Required, List<string>? Options);

/// <summary>Staff set a webinar's registration questions (the whole list at once, in order).</summary>
internal static class QuestionsApi
{
    public static async Task<Results<Ok<List<QuestionView>>, ValidationProblem, NotFound>> PutAsync(
        string slug, List<QuestionInput> input, WebinarsDbContext db, IClock clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        var set = db.Set<RegistrationQuestion>();
        var existing = await set.Where(q => q.WebinarId == webinar.Id).ToListAsync(ct);
        var errors = new FieldErrors();
        var questions = Validate(input, existing.Select(q => q.Id).ToHashSet(), errors);
        if (questions is null) return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The questions have problems.");

        // Kept ids are updated in place (answers refer to them), the rest removed or added.
        set.RemoveRange(existing.Where(e => questions.All(q => q.Id != e.Id)));
        foreach (var q in questions)
        {
            if (existing.FirstOrDefault(e => e.Id == q.Id) is { } kept)
            {
                (kept.Kind, kept.Label, kept.Required, kept.Options, kept.Order) = (q.Kind, q.Label, q.Required, q.Options, q.Order);
            }
            else
            {
                q.WebinarId = webinar.Id;
                set.Add(q);
            }
        }

        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetCurrentInstant(),
            Actor = user.Actor(),
            Action = "webinar.questions",
            Subject = webinar.Slug,
            Details = $"{questions.Count} questions",
        });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(questions.Select(QuestionView.From).ToList());
    }

    private static List<RegistrationQuestion>? Validate(List<QuestionInput> input, HashSet<Guid> existingIds, FieldErrors errors)
    {
        if (input.Count > RegistrationQuestion.MaxQuestions) errors.Add("questions", $"At most {RegistrationQuestion.MaxQuestions} questions.");
        var result = new List<RegistrationQuestion>();
        for (var i = 0; i < input.Count; i++)
        {
            var q = input[i];
            var field = $"questions[{i}]";
            if (q is null)
            {
                errors.Add(field, "A question is required here.");
                continue;
            }

            if (!Enum.TryParse<QuestionKind>(q.Kind, ignoreCase: true, out var kind) || int.TryParse(q.Kind, out _))
            {
                errors.Add($"{field}.kind", $"Kind must be one of {string.Join(", ", Enum.GetNames<QuestionKind>())}.");
            }

            var label = errors.Required($"{field}.label", q.Label, RegistrationQuestion.MaxLabelLength);
            var options = (q.Options ?? []).Select(o => o?.Trim() ?? "").ToList();
            var question = new RegistrationQuestion { Id = q.Id is Guid id && existingIds.Contains(id) ? id : Guid.NewGuid(), Kind = kind, Label = label ?? "", Required = q.Required ?? false, Order = i };
            if (question.HasOptions)
            {
                if (options.Count is < 2 or > RegistrationQuestion.MaxOptions) errors.Add($"{field}.options", $"A choice needs 2 to {RegistrationQuestion.MaxOptions} options.");
                else if (options.Any(o => o.Length is 0 or > RegistrationQuestion.MaxOptionLength)) errors.Add($"{field}.options", $"Each option needs 1 to {RegistrationQuestion.MaxOptionLength} characters.");
                else if (options.Distinct().Count() != options.Count) errors.Add($"{field}.options", "Options must differ from each other.");
                question.Options = options;
            }
            else if (options.Count > 0)
            {
                errors.Add($"{field}.options", "Only SingleChoice and MultipleChoice questions have options.");
            }

            if (result.Any(r => r.Id == question.Id)) errors.Add($"{field}.id", "Two questions have the same id.");
            result.Add(question);
        }

        return errors.Any ? null : result;
    }
}
