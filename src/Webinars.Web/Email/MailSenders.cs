using System.Net.Sockets;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using NodaTime;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Webinars.Email;

/// <summary>What became of one message handed to an <see cref="IMailSender"/>.</summary>
public enum MailResult
{
    /// <summary>Not tried (shutdown): released for another round, no attempt counted.</summary>
    NotTried,

    /// <summary>The server said 250 to the message: it is delivered, whatever happens after.</summary>
    Accepted,

    /// <summary>A temporary failure (4xx, network, timeout): tried again later with backoff.</summary>
    Deferred,

    /// <summary>A permanent refusal (5xx for this recipient or message): not tried again.</summary>
    Refused,
}

public readonly record struct MailOutcome(MailResult Result, string? Error = null)
{
    public static MailOutcome Accepted { get; } = new(MailResult.Accepted);

    public static MailOutcome From(Exception e) =>
        new(MailFailures.IsTransient(e) ? MailResult.Deferred : MailResult.Refused, $"{e.GetType().Name}: {e.Message}");
}

/// <summary>Where finished messages go: an SMTP server, or a folder of .eml files.</summary>
public interface IMailSender
{
    /// <summary>
    /// Sends <paramref name="messages"/> in order and returns one outcome per message, in the same order. A message's
    /// failure is its outcome, not an exception. <paramref name="stop"/> (shutdown, or the batch's lease running low)
    /// is checked between messages only, never while one is being sent; the messages not begun are
    /// <see cref="MailResult.NotTried"/>. <paramref name="accepted"/>, if given, is called with a message's index as soon
    /// as the server has accepted it and awaited before the next message (so the caller can record acceptances while
    /// the batch goes, and hold it back while its records lag); it must not throw. Each message is read from the list once,
    /// when its turn comes, and disposed when it is done with (the list may build it then: <c>BuiltWhenSent</c>).
    /// </summary>
    Task<MailOutcome[]> SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken stop, Func<int, ValueTask>? accepted = null);
}

/// <summary>Turns an outbox row into a MIME message: text and HTML alternatives, the .ics attached.</summary>
public static partial class MailMessages
{
    /// <summary>
    /// Where a message's access token goes in its stored body: the link is stored as <c>/r/~access-token~</c> and the
    /// token put in only when the message is built for sending, so no stored body holds a working link. <c>~</c> is
    /// outside the tokens' alphabet, left alone by URL escaping and HTML encoding.
    /// </summary>
    public const string TokenPlaceholder = "~access-token~";

    /// <summary>
    /// The message as sent; <paramref name="accessToken"/> fills the link (the row's token when sending, null for a
    /// staff view, which then shows the link masked). The caller disposes it: MimeKit's messages, parts and contents have
    /// finalizers, so one left to the GC survives a collection with its whole tree (undisposed, they made the sender's
    /// GC promote ~37 KiB a message).
    /// </summary>
    public static MimeMessage Build(OutboxMessage row, MailboxAddress from, string? accessToken)
    {
        var message = new MimeMessage { Subject = row.Subject, MessageId = row.MessageId, Date = row.CreatedAt.ToDateTimeOffset() };
        // A copy: an address list subscribes to its addresses' Changed event, so one address shared by a batch's messages
        // kept each of them reachable until the batch ended.
        message.From.Add(new MailboxAddress(from.Name, from.Address));
        message.To.Add(new MailboxAddress(row.ToName, row.To));
        message.Headers.Add("X-Webinars-Kind", row.Kind);
        var body = new BodyBuilder { TextBody = WithToken(row.TextBody, accessToken), HtmlBody = WithToken(row.HtmlBody, accessToken) };
        if (row.AttachmentName is { } name && row.AttachmentContent is { } content)
        {
            body.Attachments.Add(name, System.Text.Encoding.UTF8.GetBytes(content), ContentType.Parse(row.AttachmentContentType ?? "application/octet-stream"));
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>Any manage link in <paramref name="text"/> with its token replaced by dots, for staff eyes.</summary>
    public static string Masked(string text) => ManageLink().Replace(text, "/r/••••••");

    private static string? WithToken(string? body, string? token) =>
        body is null || token is null ? body : body.Replace(TokenPlaceholder, Uri.EscapeDataString(token), StringComparison.Ordinal);

    [GeneratedRegex(@"/r/[A-Za-z0-9_~%-]+")]
    private static partial Regex ManageLink();
}

/// <summary>Failures worth trying again later (the server or network), as opposed to a refused message.</summary>
public static class MailFailures
{
    public static bool IsTransient(Exception e) => e switch
    {
        SmtpCommandException c => (int)c.StatusCode is >= 400 and < 500,
        SmtpProtocolException or ServiceNotConnectedException or SocketException or IOException => true,
        TimeoutRejectedException or BrokenCircuitException or TimeoutException or OperationCanceledException => true,
        SslHandshakeException or AuthenticationException => true, // configuration, which someone can fix: keep the message
        _ => false,
    };

    /// <summary>The connection cannot carry another message (dropped, timed out, or the server said 421 "closing").</summary>
    public static bool BreaksConnection(Exception e) => e switch
    {
        SmtpCommandException c => c.StatusCode == SmtpStatusCode.ServiceNotAvailable,
        SmtpProtocolException or ServiceNotConnectedException or SocketException or IOException => true,
        TimeoutException or OperationCanceledException => true,
        _ => false,
    };
}

/// <summary>The `dotnet run` default: each message becomes <c>{id}.eml</c> in the pickup folder (rewritten whole on a resend).</summary>
/// <remarks>
/// The files are the developer's own inbox and carry working links (that is what they are for); the staff page never
/// serves them, it shows the stored message with the link masked (docs/decisions/0010-mail-throughput.md).
/// </remarks>
public sealed class PickupMailSender(IOptions<EmailOptions> options, IWebHostEnvironment environment) : IMailSender
{
    public string Directory { get; } = options.Value.PickupPath(environment.ContentRootPath);

    public async Task<MailOutcome[]> SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken stop, Func<int, ValueTask>? accepted = null)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var outcomes = new MailOutcome[messages.Count];
        for (var i = 0; i < messages.Count && !stop.IsCancellationRequested; i++)
        {
            try
            {
                using var message = messages[i];
                await WriteAsync(message, CancellationToken.None);
                outcomes[i] = MailOutcome.Accepted;
                if (accepted is not null) await accepted(i);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                outcomes[i] = new(MailResult.Deferred, $"{e.GetType().Name}: {e.Message}");
            }
        }

        return outcomes;
    }

    private async Task WriteAsync(MimeMessage message, CancellationToken ct)
    {
        var path = PathFor(message.MessageId ?? throw new InvalidOperationException("A message without Message-Id."));
        var temporary = path + ".tmp";
        // Written in memory first and then in one go: MimeKit writes a file in many small pieces, each an async
        // round through the thread pool, which during a registration rush cost more than writing the message.
        using var buffer = new MemoryStream();
        await message.WriteToAsync(buffer, ct);
        await File.WriteAllBytesAsync(temporary, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The file of a message id such as <c>0f…@webinars</c>; only the hex id is used, never a path from outside.</summary>
    public string PathFor(string messageId)
    {
        var id = Guid.Parse(messageId.Split('@')[0]);
        return Path.Combine(Directory, $"{id:N}.eml");
    }
}

internal static class Backoff
{
    /// <summary>5 s, 10 s, 20 s … capped at an hour, ±20% jitter so instances do not retry in step.</summary>
    public static Duration After(int attempts)
    {
        var seconds = Math.Min(3600, 5 * Math.Pow(2, Math.Clamp(attempts - 1, 0, 20)));
        return Duration.FromSeconds(seconds * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }
}
