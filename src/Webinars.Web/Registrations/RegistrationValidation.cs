using System.Net.Mail;
using System.Text.Json;
using Webinars.Infrastructure;
using Webinars.Time;

namespace Webinars.Registrations;

/// <summary>The body of POST /api/webinars/{slug}/registrations (the form binds the same fields).</summary>
/// <param name="TicketType">The key of the chosen ticket type; required on a webinar that has types, refused on others.</param>
public sealed record RegistrationRequest(
    string? Name, string? Email, string? Organization, string? TimeZone, Dictionary<string, JsonElement>? Answers, string? TicketType = null);

/// <summary>Turns a request into a <see cref="NewRegistration"/>, or field errors named like the request's fields.</summary>
public static class RegistrationValidation
{
    public static NewRegistration? Validate(RegistrationRequest request, IReadOnlyList<RegistrationQuestion> questions, FieldErrors errors)
    {
        var name = errors.Required("name", request.Name, Registration.MaxNameLength);
        var email = NormaliseEmail(errors, request.Email);
        var organization = errors.Bounded("organization", request.Organization, Registration.MaxOrganizationLength) ?? "";
        var zoneId = request.TimeZone?.Trim();
        if (string.IsNullOrEmpty(zoneId)) errors.Add("timeZone", "TimeZone is required: your IANA time zone, such as Europe/Paris.");
        else if (HostTime.FindZone(zoneId) is null) errors.Add("timeZone", $"Unknown time zone '{Shorten(zoneId)}'; use an IANA id such as Europe/Paris.");

        var answers = ValidateAnswers(request.Answers ?? [], questions, errors);
        return errors.Any ? null : new NewRegistration(name!, email!, organization, zoneId!, answers);
    }

    /// <summary>Trimmed and lower-cased, or null (with an error) when it is not a plausible address.</summary>
    public static string? NormaliseEmail(FieldErrors errors, string? raw)
    {
        var email = errors.Required("email", raw, Registration.MaxEmailLength)?.ToLowerInvariant();
        if (email is null) return null;
        if (!IsPlausibleEmail(email))
        {
            errors.Add("email", "Email is not a valid address (expected something like name@example.org).");
            return null;
        }

        return email;
    }

    private static bool IsPlausibleEmail(string email)
    {
        // MailAddress accepts display names and comments ("A <a@b>"); insist that the whole text is the bare address.
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || parsed.DisplayName.Length > 0) return false;
        var at = email.LastIndexOf('@');
        var domain = email[(at + 1)..];
        return at > 0 && email.IndexOf('@') == at && domain.Contains('.', StringComparison.Ordinal)
            && !domain.StartsWith('.') && !domain.EndsWith('.') && !email.Any(char.IsWhiteSpace);
    }

    private static List<RegistrationAnswer> ValidateAnswers(
        Dictionary<string, JsonElement> given, IReadOnlyList<RegistrationQuestion> questions, FieldErrors errors)
    {
        var known = questions.Select(q => q.Id.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var key in given.Keys.Where(k => !known.Contains(k)))
        {
            errors.Add($"answers.{Shorten(key)}", "There is no such question on this webinar.");
        }

        var answers = new List<RegistrationAnswer>();
        foreach (var question in questions.OrderBy(q => q.Order))
        {
            var field = $"answers.{question.Id}";
            var value = given.FirstOrDefault(g => string.Equals(g.Key, question.Id.ToString(), StringComparison.OrdinalIgnoreCase)).Value;
            var text = Answer(question, value, field, errors);
            if (text is null)
            {
                if (question.Required && !errors.Has(field))
                {
                    errors.Add(field, question.Kind == QuestionKind.Consent ? $"Please agree: {question.Label}" : $"Please answer: {question.Label}");
                }

                continue;
            }

            answers.Add(new RegistrationAnswer { QuestionId = question.Id, Kind = question.Kind, Label = question.Label, Value = text, Order = question.Order });
        }

        return answers;
    }

    // The stored text of one answer; null when unanswered (or invalid: then an error names the field).
    private static string? Answer(RegistrationQuestion question, JsonElement value, string field, FieldErrors errors)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return null;
        switch (question.Kind)
        {
            case QuestionKind.ShortText or QuestionKind.LongText:
                if (value.ValueKind != JsonValueKind.String) return Invalid(errors, field, "Expected text.");
                var max = question.Kind == QuestionKind.ShortText ? 500 : RegistrationAnswer.MaxValueLength;
                var text = value.GetString()!.Trim();
                if (text.Length > max) return Invalid(errors, field, $"The answer is too long: at most {max} characters (got {text.Length}).");
                return text.Length == 0 ? null : text;
            case QuestionKind.SingleChoice:
                if (value.ValueKind != JsonValueKind.String) return Invalid(errors, field, "Expected one of the options.");
                var choice = value.GetString()!;
                if (choice.Length == 0) return null;
                return question.Options.Contains(choice) ? choice : Invalid(errors, field, "Not one of the options.");
            case QuestionKind.MultipleChoice:
                var chosen = value.ValueKind switch
                {
                    JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) =>
                        value.EnumerateArray().Select(v => v.GetString()!).Where(v => v.Length > 0).Distinct().ToList(),
                    JsonValueKind.String => [value.GetString()!],
                    _ => null,
                };
                if (chosen is null) return Invalid(errors, field, "Expected a list of options.");
                if (chosen.Any(c => !question.Options.Contains(c))) return Invalid(errors, field, "Not one of the options.");
                // Kept in the options' order, whatever order they were sent in.
                return chosen.Count == 0 ? null : string.Join("; ", question.Options.Where(chosen.Contains));
            default: // Consent: true, or "on"/"true" from a form's checkbox
                var agreed = value.ValueKind == JsonValueKind.True
                    || (value.ValueKind == JsonValueKind.String && value.GetString() is "on" or "true");
                if (!agreed && value.ValueKind is not (JsonValueKind.False or JsonValueKind.String)) return Invalid(errors, field, "Expected true or false.");
                return agreed ? "Yes" : null;
        }
    }

    private static string? Invalid(FieldErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
