using System.Net;
using System.Text;

namespace Webinars.Email;

/// <summary>Writes a message's plain-text and HTML parts side by side; every value is HTML-encoded in the HTML part.</summary>
public sealed class Letter
{
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _html = new();

    public Letter Paragraph(string text)
    {
        _text.AppendLine(text).AppendLine();
        _html.Append("<p>").Append(Encode(text)).AppendLine("</p>");
        return this;
    }

    public Letter Fact(string label, string value)
    {
        _text.Append(label).Append(": ").AppendLine(value);
        _html.Append("<p><strong>").Append(Encode(label)).Append(":</strong> ").Append(Encode(value)).AppendLine("</p>");
        return this;
    }

    public Letter Link(string label, string url)
    {
        _text.Append(label).Append(": ").AppendLine(url).AppendLine();
        _html.Append("<p><a href=\"").Append(Encode(url)).Append("\">").Append(Encode(label)).AppendLine("</a></p>");
        return this;
    }

    public string Text => _text.ToString().TrimEnd() + "\n";

    public string Html =>
        "<!DOCTYPE html>\n<html><body style=\"font-family: sans-serif; line-height: 1.5\">\n" + _html + "</body></html>\n";

    private static string Encode(string value) => WebUtility.HtmlEncode(value).Replace("\n", "<br>", StringComparison.Ordinal);
}
