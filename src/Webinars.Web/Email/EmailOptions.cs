using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace Webinars.Email;

/// <summary>Section <c>Email</c>. Without <c>Email:Smtp:Host</c> messages are written as .eml files to <see cref="PickupDirectory"/>.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    [Required]
    public string From { get; set; } = "Webinars <webinars@localhost>";

    /// <summary>Relative paths are under the content root.</summary>
    [Required]
    public string PickupDirectory { get; set; } = Path.Combine("App_Data", "mail");

    [Range(1, 3600)]
    public int DispatchIntervalSeconds { get; set; } = 2;

    /// <summary>Runs the dispatcher loop in this instance; tests turn it off and call <c>DispatchOnceAsync</c>.</summary>
    public bool BackgroundDispatch { get; set; } = true;

    /// <summary>How many messages one claim takes; they go out over one connection and are recorded together after it.</summary>
    [Range(1, 500)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Sent messages (and given-up ones) are deleted this many days after; 0 keeps them.</summary>
    [Range(0, 3650)]
    public int RetainSentDays { get; set; } = 30;

    /// <summary>How long a claim holds; must outlast sending one batch, after that another instance may take the rows.</summary>
    [Range(10, 3600)]
    public int LeaseSeconds { get; set; } = 120;

    public SmtpOptions Smtp { get; set; } = new();

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);

    internal MailboxAddress FromAddress => MailboxAddress.Parse(From);

    internal string PickupPath(string contentRoot) => Path.GetFullPath(Path.Combine(contentRoot, PickupDirectory));
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>TLS on connect for port 465, STARTTLS otherwise; off by default for a local relay.</summary>
    public bool UseTls { get; set; }

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Credentials only over TLS: with <see cref="UseTls"/> the sender asks for TLS on connect (port 465) or requires
    /// STARTTLS, and a server that does not offer it fails the connection before the password is sent.
    /// </summary>
    internal bool SendsCredentialsSafely => string.IsNullOrEmpty(UserName) || UseTls;

    internal const string CredentialsNeedTls =
        "Email:Smtp:UserName is set but Email:Smtp:UseTls is false, so the SMTP password would cross the network in clear. " +
        "Set Email:Smtp:UseTls=true (TLS on connect for port 465, required STARTTLS otherwise) or remove the credentials for a local relay.";
    /// <summary>Connections kept open and used in parallel, each carrying whole batches.</summary>
    [Range(1, 64)]
    public int Connections { get; set; } = 4;

    /// <summary>At most this many messages per second from this instance (relays that throttle); 0: no cap.</summary>
    [Range(0, 100_000)]
    public int MaxPerSecond { get; set; }

    /// <summary>A connection is replaced after this many messages (relays limit them); 0: no limit.</summary>
    [Range(0, 100_000)]
    public int MessagesPerConnection { get; set; } = 100;

    /// <summary>A connection unused this long is closed rather than reused (servers drop idle ones).</summary>
    [Range(1, 3600)]
    public int IdleSeconds { get; set; } = 30;
}
