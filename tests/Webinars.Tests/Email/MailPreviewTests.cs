using MimeKit;
using NodaTime;
using Webinars.Email;

namespace Webinars.Tests.Email;

/// <summary>A sent message as the staff emails page shows it: the reader's view, never script, never a working link.</summary>
public sealed class MailPreviewTests
{
    [Fact]
    public void Of_HtmlWithScriptStyleAndLink_SanitisedLinkMaskedTextKept()
    {
        var row = new OutboxMessage
        {
            Kind = "confirmation",
            To = "ada@example.org",
            ToName = "Ada Lovelace",
            Subject = "You're registered",
            DedupeKey = "k",
            CreatedAt = Instant.FromUtc(2026, 11, 29, 12, 0),
            HtmlBody = $$"""<html><head><style>p { color: red; }</style></head><body><p style="color:red">Hello <script>alert(1)</script><a href="https://w.example/r/{{MailMessages.TokenPlaceholder}}" onclick="x()">Manage</a></p></body></html>""",
            TextBody = $"Hello\nManage: https://w.example/r/{MailMessages.TokenPlaceholder}\n",
        };

        var preview = MailPreview.Of(row, new MailboxAddress("Webinars", "webinars@example.org"));

        Assert.Equal("You're registered", preview.Subject);
        Assert.Contains("\"Ada Lovelace\" <ada@example.org>", preview.To, StringComparison.Ordinal);
        Assert.NotNull(preview.SafeHtml);
        Assert.Contains("Manage</a>", preview.SafeHtml, StringComparison.Ordinal);
        Assert.Contains("/r/••••••", preview.SafeHtml, StringComparison.Ordinal);
        foreach (var gone in new[] { "<script", "onclick", "style", MailMessages.TokenPlaceholder, "<html" })
        {
            Assert.DoesNotContain(gone, preview.SafeHtml, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal("Hello\nManage: https://w.example/r/••••••\n", preview.Text);
    }
}
