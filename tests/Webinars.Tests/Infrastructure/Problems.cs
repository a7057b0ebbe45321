using System.Net;
using System.Text.Json;

namespace Webinars.Tests.Infrastructure;

public static class Problems
{
    /// <summary>Asserts a ProblemDetails response with the status, and returns its body for further checks.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts a 400 validation problem that names <paramref name="field"/>; returns the field's messages.</summary>
    public static async Task<string> AssertFieldErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors), $"No 'errors' in {problem}");
        Assert.True(errors.TryGetProperty(field, out var messages), $"No error for '{field}' in {errors}");
        return string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
    }
}
