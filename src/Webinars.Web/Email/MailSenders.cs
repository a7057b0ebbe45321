using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using NodaTime;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Webinars.Email;

/// <summary>Where a finished message goes: an SMTP server, or a folder of .eml files.</summary>
public interface IMailSender
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

/// <summary>Turns an outbox row into a MIME message: text and HTML alternatives, the .ics attached.</summary>
public static class MailMessages
{
    public static MimeMessage Build(OutboxMessage row, MailboxAddress from)
    {
        var message = new MimeMessage { Subject = row.Subject, MessageId = row.MessageId, Date = row.CreatedAt.ToDateTimeOffset() };
        message.From.Add(from);
        message.To.Add(new MailboxAddress(row.ToName, row.To));
        message.Headers.Add("X-Webinars-Kind", row.Kind);
        var body = new BodyBuilder { TextBody = row.TextBody, HtmlBody = row.HtmlBody };
        if (row.AttachmentName is { } name && row.AttachmentContent is { } content)
        {
            body.Attachments.Add(name, System.Text.Encoding.UTF8.GetBytes(content), ContentType.Parse(row.AttachmentContentType ?? "application/octet-stream"));
        }

        message.Body = body.ToMessageBody();
        return message;
    }
}

/// <summary>Failures worth trying again later (the server or network), as opposed to a refused message.</summary>
public static class MailFailures
{
    public static bool IsTransient(Exception e) => e switch
    {
        SmtpCommandException c => (int)c.StatusCode is >= 400 and < 500,
        SmtpProtocolException or ServiceNotConnectedException or SocketException or IOException => true,
        TimeoutRejectedException or BrokenCircuitException or TimeoutException => true,
        SslHandshakeException or AuthenticationException => true, // configuration, which someone can fix: keep the message
        _ => false,
    };
}

/// <summary>
/// MailKit over SMTP behind a Polly pipeline: per-attempt timeout, a couple of quick retries with exponential backoff
/// and jitter for transient failures, and a circuit breaker so a dead server is not hammered. Longer outages are
/// handled by the outbox row's own next-attempt schedule.
/// </summary>
public sealed class SmtpMailSender : IMailSender
{
    private readonly SmtpOptions _smtp;
    private readonly ResiliencePipeline _pipeline;

    public SmtpMailSender(IOptions<EmailOptions> options)
    {
        _smtp = options.Value.Smtp;
        var transient = new PredicateBuilder().Handle<Exception>(e => e is not BrokenCircuitException && MailFailures.IsTransient(e));
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 0.8,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
            })
            .AddTimeout(TimeSpan.FromSeconds(_smtp.TimeoutSeconds))
            .Build();
    }

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        using var client = await _pipeline.ExecuteAsync(async token =>
        {
            var attempt = new SmtpClient();
            try
            {
                var security = !_smtp.UseTls ? SecureSocketOptions.None : _smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
                await attempt.ConnectAsync(_smtp.Host ?? "localhost", _smtp.Port, security, token);
                if (!string.IsNullOrEmpty(_smtp.UserName)) await attempt.AuthenticateAsync(_smtp.UserName, _smtp.Password ?? "", token);
                await attempt.SendAsync(message, token);
                return attempt;
            }
            catch
            {
                attempt.Dispose();
                throw;
            }
        }, ct);

        // The server has accepted the message. Nothing after this may fail the send (not a lost goodbye, not the
        // pipeline's timeout or a shutdown): a retry, here or by the outbox, would deliver it twice.
        try
        {
            using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(_smtp.TimeoutSeconds));
            await client.DisconnectAsync(quit: true, quit.Token);
        }
        catch (Exception)
        {
            // the connection is dropped with the client
        }
    }
}

/// <summary>The `dotnet run` default: each message becomes <c>{id}.eml</c> in the pickup folder (rewritten whole on a resend).</summary>
public sealed class PickupMailSender(IOptions<EmailOptions> options, IWebHostEnvironment environment) : IMailSender
{
    public string Directory { get; } = options.Value.PickupPath(environment.ContentRootPath);

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
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
