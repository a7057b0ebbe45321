namespace Webinars.Pages.Shared;

/// <summary>What a shared link's preview shows (OpenGraph and Twitter card tags): title, a short description and the page.</summary>
public sealed record SocialCard(string Title, string Description, string Path)
{
    private const int MaxDescription = 200;

    /// <summary>Plain text (Markdown as typed) on one line, cut at a word near 200 characters.</summary>
    public static string Describe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var plain = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace("**", "", StringComparison.Ordinal);
        if (plain.Length <= MaxDescription) return plain;
        var cut = plain.LastIndexOf(' ', MaxDescription - 1);
        return plain[..(cut > 0 ? cut : MaxDescription - 1)] + "\u2026";
    }
}
