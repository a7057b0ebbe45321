using System.Text;
using NodaTime.Text;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.LiveQa;

/// <summary>The questions after the webinar, for staff: CSV (formula-safe, as the registrant export) and Markdown.</summary>
public static class QuestionsExport
{
    public static byte[] Csv(IReadOnlyList<Question> questions, IReadOnlyDictionary<Guid, int> votes)
    {
        var csv = new StringBuilder();
        Row(csv, ["Asked at", "Status", "Votes", "Author", "Anonymous", "Question", "Answered at", "Answer", "Pinned", "Merged into", "Id"]);
        foreach (var q in questions)
        {
            Row(csv, [
                InstantPattern.General.Format(q.AskedAt), q.Status.ToString(), votes[q.Id].ToString(System.Globalization.CultureInfo.InvariantCulture),
                q.AuthorName, q.Anonymous ? "yes" : "no", q.Text, q.AnsweredAt is { } at ? InstantPattern.General.Format(at) : "", q.Answer ?? "",
                q.Pinned ? "yes" : "no", q.MergedIntoId?.ToString() ?? "", q.Id.ToString(),
            ]);
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    /// <summary>Answered first (in the order answered, with their answers), then the other approved ones by votes.</summary>
    public static string Markdown(Webinar webinar, IReadOnlyList<Question> questions, IReadOnlyDictionary<Guid, int> votes)
    {
        var md = new StringBuilder().Append("# Questions: ").Append(Escape(webinar.Title)).Append("\n\n");
        var shown = questions.Where(q => q.MergedIntoId is null).ToList();
        var answered = shown.Where(q => q.Status == QuestionStatus.Answered).OrderBy(q => q.AnsweredAt).ToList();
        if (answered.Count > 0) md.Append("## Answered\n\n");
        foreach (var q in answered)
        {
            md.Append("- ").Append(Escape(q.Text)).Append(Byline(q, votes[q.Id])).Append('\n');
            if (q.Answer is { } answer) md.Append("  - Answer: ").Append(Escape(answer)).Append('\n');
        }

        var open = shown.Where(q => q.Status == QuestionStatus.Approved).OrderByDescending(q => votes[q.Id]).ThenBy(q => q.AskedAt).ToList();
        if (open.Count > 0) md.Append(answered.Count > 0 ? "\n" : "").Append("## Not answered\n\n");
        foreach (var q in open) md.Append("- ").Append(Escape(q.Text)).Append(Byline(q, votes[q.Id])).Append('\n');
        return md.ToString();
    }

    private static string Byline(Question q, int votes) =>
        $" — {(q.Anonymous ? "anonymous" : Escape(q.AuthorName))}, {votes} vote{(votes == 1 ? "" : "s")}";

    /// <summary>Attendee text stays text: Markdown's punctuation is escaped and lines are joined.</summary>
    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.ReplaceLineEndings(" "))
        {
            if ("\\`*_{}[]()<>#+-.!|~&".Contains(c, StringComparison.Ordinal)) sb.Append('\\');
            sb.Append(c);
        }

        return sb.ToString();
    }

    private static void Row(StringBuilder csv, IEnumerable<string> cells) => csv.Append(string.Join(',', cells.Select(RegistrantsCsv.Cell))).Append("\r\n");
}
