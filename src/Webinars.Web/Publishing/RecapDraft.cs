using System.Text;
using NodaTime;
using Webinars.Feeds;
using Webinars.Webinars;

namespace Webinars.Publishing;

/// <summary>
/// The first version of a recap, written from what the service knows, in the institute's own shape: when, who spoke,
/// who moderated and discussed, what the Q&amp;A asked (each answer linked to its moment in the recording).
/// </summary>
public static class RecapDraft
{
    public static string Write(Webinar webinar, WebinarHappenings happenings)
    {
        var p = webinar.Publication;
        var md = new StringBuilder();
        var speakers = People(webinar, SpeakerRole.Speaker);
        var moderators = People(webinar, SpeakerRole.Moderator);
        var discussants = People(webinar, SpeakerRole.Discussant);

        md.Append("On ").Append(Escape(WebinarFeedEntries.Headline(webinar))).Append(", we held the webinar “")
            .Append(Escape(webinar.Title)).Append('”');
        md.Append(speakers.Count > 0 ? $". It featured {Join(speakers)}.\n\n" : ".\n\n");
        if (moderators.Count > 0) md.Append("The webinar was moderated by ").Append(Join(moderators)).Append(". ");
        if (discussants.Count > 0) md.Append("Discussants included ").Append(Join(discussants)).Append('.');
        if (moderators.Count + discussants.Count > 0) md.Append("\n\n");

        var answered = happenings.Questions.Where(q => q.IsAnswered).OrderBy(q => q.AnsweredAt).ToList();
        var unanswered = happenings.Questions.Where(q => !q.IsAnswered).OrderBy(q => q.AskedAt).ToList();
        if (answered.Count > 0)
        {
            md.Append("## Questions answered\n\n");
            foreach (var q in answered)
            {
                md.Append("- ").Append(Quote(q));
                if (p?.VideoId is string videoId) md.Append(" ([watch the answer](").Append(YouTubeLink.At(videoId, SecondsIntoVideo(webinar, q.AnsweredAt!.Value))).Append("))");
                if (!string.IsNullOrWhiteSpace(q.Answer)) md.Append(" — ").Append(Escape(q.Answer));
                md.Append('\n');
            }

            md.Append('\n');
        }

        if (unanswered.Count > 0)
        {
            md.Append("## Questions we did not get to\n\n");
            foreach (var q in unanswered) md.Append("- ").Append(Quote(q)).Append('\n');
            md.Append('\n');
        }

        if (p?.VideoId is string id) md.Append("[Watch the full webinar on YouTube](").Append(new YouTubeLink(id, null).Url).Append(").\n");
        return md.ToString();
    }

    /// <summary>Where in the recording a moment of the webinar is: time since the start, less the video's late start.</summary>
    public static long SecondsIntoVideo(Webinar webinar, Instant moment)
    {
        var offset = webinar.Publication?.VideoOffsetSeconds ?? 0;
        var seconds = (long)Math.Floor((moment - webinar.StartsAt).TotalSeconds) - offset;
        return Math.Max(0, seconds);
    }

    private static List<string> People(Webinar w, SpeakerRole role) => w.Speakers
        .Where(s => s.Role == role).OrderBy(s => s.Order)
        .Select(s => s.Affiliation.Length > 0 ? $"{Escape(s.DisplayName)} ({Escape(s.Affiliation)})" : Escape(s.DisplayName))
        .ToList();

    private static string Join(List<string> names) => names.Count switch
    {
        1 => names[0],
        2 => $"{names[0]} and {names[1]}",
        _ => string.Join(", ", names[..^1]) + ", and " + names[^1],
    };

    private static string Quote(AskedQuestion q)
    {
        var who = q.Anonymous || string.IsNullOrWhiteSpace(q.AuthorName) ? "" : $" ({Escape(q.AuthorName)})";
        return $"“{Escape(q.Text)}”{who}";
    }

    /// <summary>
    /// Text from people (questions, names) is literal in the Markdown: every character Markdown could read as syntax
    /// is escaped, so a question cannot become a link or an image. (The HTML is sanitised on save anyway.)
    /// </summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text.ReplaceLineEndings(" "))
        {
            if ("\\`*_[]<>|~".Contains(c, StringComparison.Ordinal)) sb.Append('\\');
            sb.Append(c);
        }

        return sb.ToString();
    }
}
