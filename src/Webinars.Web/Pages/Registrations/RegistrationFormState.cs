using System.Text.Json;
using Webinars.Registrations;

namespace Webinars.Pages.Registrations;

/// <summary>What the form partial shows again after a failed post: the values typed and the errors by field.</summary>
public sealed record RegistrationFormState(IFormCollection? Form, IDictionary<string, string[]> Errors)
{
    public const string Key = "RegistrationForm";

    public string Value(string name) => Form?[name].ToString() ?? "";

    public bool Has(string name, string value) => Form?[name].Contains(value) == true;

    public string? Error(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>Field name of a question's input.</summary>
    public static string QuestionField(RegistrationQuestion q) => $"q_{q.Id:N}";

    /// <summary>The form's answers in the API's shape, so both go through one validation.</summary>
    public static Dictionary<string, JsonElement> Answers(IFormCollection form, IEnumerable<RegistrationQuestion> questions)
    {
        var answers = new Dictionary<string, JsonElement>();
        foreach (var q in questions)
        {
            var values = form[QuestionField(q)];
            if (values.Count == 0) continue;
            answers[q.Id.ToString()] = q.Kind == QuestionKind.MultipleChoice
                ? JsonSerializer.SerializeToElement(values.Select(v => v ?? "").ToArray())
                : JsonSerializer.SerializeToElement(values.ToString());
        }

        return answers;
    }
}
