using Ganss.Xss;
using Markdig;

namespace Webinars.Infrastructure;

/// <summary>Markdown written by staff becomes HTML that can never run script in a reader's browser.</summary>
public static class Markdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .DisableHtml()
        .Build();

    private static readonly HtmlSanitizer Sanitizer = NewSanitizer("noopener nofollow ugc");

    public static string ToSafeHtml(string? markdown) =>
        string.IsNullOrWhiteSpace(markdown) ? "" : Sanitizer.Sanitize(Markdig.Markdown.ToHtml(markdown, Pipeline));

    /// <summary>A sanitizer that keeps web and mail links only, each link marked with <paramref name="linkRel"/>.</summary>
    internal static HtmlSanitizer NewSanitizer(string linkRel)
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { TagName: "A" } a)
            {
                a.SetAttribute("rel", linkRel);
            }
        };
        return sanitizer;
    }
}
