namespace Webinars.LiveQa;

/// <summary>What a client asked for on <c>GET /api/webinars/{slug}/questions</c> and the export route.</summary>
public enum QuestionsFormat
{
    /// <summary>JSON: on the shared route the webinar's registration questions; on <c>/qa/questions</c> the Q&amp;A.</summary>
    Json,

    /// <summary>The Q&amp;A export as CSV (staff).</summary>
    Csv,

    /// <summary>The Q&amp;A export as Markdown (staff).</summary>
    Markdown,
}

/// <summary>
/// Content negotiation for the questions routes, in one place. <c>GET /api/webinars/{slug}/questions</c> belongs to
/// Registrations (its JSON is the registration form's questions, public); the contract (issue 8) also makes it the
/// staff's Q&amp;A export when the client accepts <c>text/csv</c> or <c>text/markdown</c>. The highest-quality type the
/// server has wins (in the client's order on a tie); no Accept or <c>*/*</c> is JSON; anything else is a 406.
/// </summary>
public static class QuestionsFormats
{
    public const string Supported = "application/json, text/csv, text/markdown";

    public static QuestionsFormat? Negotiate(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0) return QuestionsFormat.Json;
        foreach (var media in accept.Where(a => a.Quality is not 0).OrderByDescending(a => a.Quality ?? 1))
        {
            if (media.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)) return QuestionsFormat.Csv;
            if (media.MediaType.Equals("text/markdown", StringComparison.OrdinalIgnoreCase)) return QuestionsFormat.Markdown;
            if (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.MatchesAllTypes
                || media.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase))
            {
                return QuestionsFormat.Json;
            }
        }

        return null;
    }

    /// <summary>406 as ProblemDetails naming the header and what the route can give.</summary>
    public static IResult NotAcceptable(HttpRequest request) => TypedResults.Problem(
        $"Accept '{request.Headers.Accept}' names no type this route gives; ask for one of: {Supported}.",
        statusCode: StatusCodes.Status406NotAcceptable, title: "Not acceptable",
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["Accept"] = [$"Use one of: {Supported}."] } });
}
