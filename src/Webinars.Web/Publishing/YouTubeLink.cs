using System.Globalization;
using System.Text.RegularExpressions;

namespace Webinars.Publishing;

/// <summary>A YouTube video as staff pasted it: its id and, when the link had one, where playback starts.</summary>
public sealed partial record YouTubeLink(string VideoId, int? StartSeconds)
{
    /// <summary>What the 400 answer tells staff is accepted.</summary>
    public const string Accepted =
        "Paste a YouTube video link: youtube.com/watch?v=ID, youtu.be/ID, youtube.com/live/ID, /embed/ID or /shorts/ID "
        + "(www., m. and music. hosts too); the ID is 11 letters, digits, '-' or '_'.";

    private static readonly HashSet<string> YouTubeHosts =
        ["youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"];

    private static readonly string[] PathForms = ["live", "embed", "shorts", "v"];

    public string Url => $"https://www.youtube.com/watch?v={VideoId}";

    /// <summary>The privacy-enhanced player: no cookies until the reader plays the video.</summary>
    public string EmbedUrl => $"https://www.youtube-nocookie.com/embed/{VideoId}";

    /// <summary>The link to a moment of the recording.</summary>
    public static string At(string videoId, long seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"https://www.youtube.com/watch?v={videoId}&t={Math.Max(0, seconds)}s");

    public static bool IsVideoId(string? id) => id is not null && VideoIdPattern().IsMatch(id);

    /// <summary>Parses every common form of a video link; anything else (other hosts, look-alikes, playlists) is null.</summary>
    public static YouTubeLink? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 2000) return null;
        text = text.Trim();
        // "youtu.be/ID" without a scheme is how links are often copied; any other scheme (javascript:, data:) is refused.
        if (!text.Contains("://", StringComparison.Ordinal) && (text.StartsWith("youtu", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("www.youtu", StringComparison.OrdinalIgnoreCase) || text.StartsWith("m.youtube", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("music.youtube", StringComparison.OrdinalIgnoreCase)))
        {
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0 || !uri.IsDefaultPort) return null;

        var host = uri.IdnHost.ToLowerInvariant();
        var query = QueryOf(uri);
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string? id = null;
        if (host == "youtu.be")
        {
            if (segments.Length == 1) id = segments[0];
        }
        else if (YouTubeHosts.Contains(host))
        {
            if (segments is ["watch"]) id = query.GetValueOrDefault("v");
            else if (segments.Length == 2 && PathForms.Contains(segments[0], StringComparer.OrdinalIgnoreCase)) id = segments[1];
        }

        if (!IsVideoId(id)) return null;
        var start = StartOf(query.GetValueOrDefault("t") ?? query.GetValueOrDefault("start") ?? FragmentTime(uri));
        return new YouTubeLink(id!, start);
    }

    private static Dictionary<string, string> QueryOf(Uri uri)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            result.TryAdd(Uri.UnescapeDataString(parts[0]), parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "");
        }

        return result;
    }

    // Old share links put the time in the fragment: #t=1m30s.
    private static string? FragmentTime(Uri uri) =>
        uri.Fragment.StartsWith("#t=", StringComparison.Ordinal) ? uri.Fragment[3..] : null;

    /// <summary>"754", "754s", "12m34s", "1h2m3s"; anything else is no start.</summary>
    private static int? StartOf(string? t)
    {
        if (string.IsNullOrEmpty(t)) return null;
        var m = TimePattern().Match(t);
        if (!m.Success) return null;
        long seconds = 0;
        if (m.Groups["h"].Success) seconds += long.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture) * 3600;
        if (m.Groups["m"].Success) seconds += long.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) * 60;
        if (m.Groups["s"].Success) seconds += long.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture);
        return seconds is > 0 and < int.MaxValue ? (int)seconds : null;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{11}$")]
    private static partial Regex VideoIdPattern();

    [GeneratedRegex(@"^(?:(?<s>\d{1,7})|(?:(?<h>\d{1,3})h)?(?:(?<m>\d{1,4})m)?(?:(?<s>\d{1,7})s)?)$")]
    private static partial Regex TimePattern();
}
