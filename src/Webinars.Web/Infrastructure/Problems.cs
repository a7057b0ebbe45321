using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Webinars.Infrastructure;

/// <summary>
/// Unreadable request bodies (malformed JSON, a string where a number belongs) become a 400 ProblemDetails that
/// names the field, instead of an empty 400 or a 500.
/// </summary>
public sealed class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;

        var field = (bad.InnerException as JsonException)?.Path is { Length: > 2 } path ? ToField(path) : "body";
        var problem = new ValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field] = [bad.InnerException is JsonException ? $"The value is not valid JSON for '{field}'." : bad.Message],
        })
        {
            Title = "The request could not be read.",
            Status = bad.StatusCode,
        };
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new() { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    // "$.speakers[0].role" → "speakers[0].role"
    private static string ToField(string jsonPath) => jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;
}

/// <summary>Collects field errors under camelCase names, ready for <c>TypedResults.ValidationProblem</c>.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    public string? Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"{Label(field)} is required.");
            return null;
        }

        return Bounded(field, value, maxLength);
    }

    public string? Bounded(string field, string? value, int maxLength)
    {
        value = value?.Trim();
        if (value is not null && value.Length > maxLength)
        {
            Add(field, $"{Label(field)} is too long: at most {maxLength} characters (got {value.Length}).");
            return null;
        }

        return value;
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    private static string Label(string field)
    {
        var name = field[(field.LastIndexOf('.') + 1)..];
        return name.Length == 0 ? field : char.ToUpperInvariant(name[0]) + name[1..];
    }
}
