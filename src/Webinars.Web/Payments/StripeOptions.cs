using System.ComponentModel.DataAnnotations;

namespace Webinars.Payments;

/// <summary>Section <c>Stripe</c>. Without both keys paid webinars can be drafted but not announced.</summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    /// <summary>The secret API key. Never logged: <see cref="ToString"/> leaves it out.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The webhook endpoint's signing secret (<c>whsec_…</c>). Never logged.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Where Stripe's hosted Checkout pages live (a session's <c>url</c>); with <see cref="ApiBase"/> set, that host too.</summary>
    public const string CheckoutOrigin = "https://checkout.stripe.com";

    /// <summary>Another base URL for Stripe's API (tests point it at a local fake).</summary>
    [Url]
    public string? ApiBase { get; set; }

    /// <summary>Per attempt; a Stripe call that takes longer counts as failed and is retried.</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    [Range(0, 6)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>How long a Checkout Session stays open (Stripe's minimum is 30 minutes); the seat is held as long.</summary>
    [Range(30, 1440)]
    public int HoldMinutes { get; set; } = 30;

    /// <summary>The refund cutoff of a webinar whose staff set none: an attendee who cancels earlier than this before the start gets a full refund.</summary>
    [Range(0, 24 * 365)]
    public int RefundCutoffHours { get; set; } = 24;

    /// <summary>How often expired holds are released and recent sessions reconciled with Stripe.</summary>
    [Range(1, 3600)]
    public int SweepIntervalSeconds { get; set; } = 60;

    /// <summary>Turns the background sweep off (tests run it by hand).</summary>
    public bool BackgroundSweep { get; set; } = true;

    /// <summary>The setting that is missing for paid registration, or null when payments are configured.</summary>
    public string? MissingSetting =>
        string.IsNullOrWhiteSpace(SecretKey) ? "Stripe:SecretKey"
        : string.IsNullOrWhiteSpace(WebhookSecret) ? "Stripe:WebhookSecret"
        : null;

    public override string ToString() => $"Stripe(ApiBase={ApiBase ?? "default"}, SecretKey={(SecretKey is null ? "unset" : "set")}, WebhookSecret={(WebhookSecret is null ? "unset" : "set")})";
}
