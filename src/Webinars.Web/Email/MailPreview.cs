using Ganss.Xss;
using MimeKit;
using Webinars.Infrastructure;

namespace Webinars.Email;

/// <summary>
/// A written message as its reader sees it, for the staff emails page: the HTML part sanitised (no script, no styles the
/// page's policy would refuse anyway, links kept) and the text part, both with the manage link masked.
/// </summary>
public sealed record MailPreview(string From, string To, string Subject, string? SafeHtml, string? Text, string? Attachment)
{
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static MailPreview Of(OutboxMessage row, MailboxAddress from)
    {
        ArgumentNullException.ThrowIfNull(row);
        using var message = MailMessages.Build(row, from, accessToken: null);
        var html = message.HtmlBody is { Length: > 0 } h ? Sanitizer.Sanitize(MailMessages.Masked(h)) : null;
        var text = message.TextBody is { Length: > 0 } t ? MailMessages.Masked(t) : null;
        return new MailPreview(from.ToString(), message.To.ToString(), message.Subject ?? "", html, text, row.AttachmentName);
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = Markdown.NewSanitizer("noopener nofollow");
        // Inline styles would be refused by the page's Content-Security-Policy (and reported); the page styles the part.
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedTags.Remove("style");
        return sanitizer;
    }
}
