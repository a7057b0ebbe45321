using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NodaTime;
using Stripe;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Payments;

public sealed record RefundRequest(long? Amount);

/// <summary>Paid webinars: Stripe's webhook, staff refunds and totals; the checkout itself starts from registering.</summary>
public static class PaymentsApi
{
    /// <summary>Stripe's events are small; anything far larger is not from Stripe.</summary>
    private const int MaxWebhookBytes = 256 * 1024;

    public static WebApplicationBuilder AddPayments(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient(nameof(StripeGateway), c => c.Timeout = Timeout.InfiniteTimeSpan); // Polly's timeout rules
        builder.Services.AddSingleton<IStripeGateway, StripeGateway>();
        builder.Services.AddScoped<PaymentHolds>();
        builder.Services.AddScoped<RefundTerms>();
        builder.Services.AddScoped<TicketTypes>();
        builder.Services.AddScoped<IPaidSeats>(sp => sp.GetRequiredService<PaymentHolds>());
        builder.Services.AddScoped<PaymentService>();
        builder.Services.AddScoped<IPaidCheckout>(sp => sp.GetRequiredService<PaymentService>());
        builder.Services.AddSingleton<IAnnouncementCheck, PaidAnnouncementCheck>();
        builder.Services.AddHostedService<PaymentSweeper>();
        // The registration form answers a paid registration with a redirect to Checkout: the page's CSP must allow it.
        builder.Services.AddSingleton(new FormTarget(StripeOptions.CheckoutOrigin));
        if (Uri.TryCreate(builder.Configuration[$"{StripeOptions.Section}:{nameof(StripeOptions.ApiBase)}"], UriKind.Absolute, out var apiBase))
        {
            builder.Services.AddSingleton(new FormTarget(apiBase.GetLeftPart(UriPartial.Authority)));
        }

        return builder;
    }

    public static WebApplication MapPayments(this WebApplication app)
    {
        app.MapPost("/api/payments/stripe/webhook", WebhookAsync).WithTags("Payments").DisableAntiforgery()
            .WithName("StripeWebhook").WithSummary("Stripe's signed events; 400 to any that cannot be verified, 200 to the rest (repeats included).");
        var staff = app.MapGroup("/api/webinars/{slug}/payments").WithTags("Payments").RequireAuthorization(Policies.Staff);
        staff.MapGet("/", TotalsAsync).WithName("PaymentTotals").WithSummary("Paid, refunded and held totals of a webinar.");
        staff.MapGet("/terms", TermsAsync).WithName("PaymentTerms").WithSummary("The refund cutoff: hours before the start, and the last instant a cancellation is refunded.");
        staff.MapPut("/terms", SetTermsAsync).WithName("SetPaymentTerms")
            .WithSummary("Sets the refund cutoff { refundCutoffHours }: attendees who cancel before it are refunded in full, later ones are not.");
        staff.MapPost("/{registrationId:guid}/refund", RefundAsync).WithName("RefundRegistration")
            .WithSummary("Refunds all (no amount) or part of a registration's payment; amount in minor units.");
        app.MapTicketTypes();
        return app;
    }

    private static async Task<Results<Ok, ProblemHttpResult>> WebhookAsync(
        HttpRequest request, PaymentService payments, IOptions<StripeOptions> options, IClock clock, ILoggerFactory logs, CancellationToken ct)
    {
        var logger = logs.CreateLogger(typeof(PaymentsApi));
        var secret = options.Value.WebhookSecret;
        if (string.IsNullOrWhiteSpace(secret)) return Refuse("Stripe:WebhookSecret is not set, so no event can be verified.");
        // Stripe.net throws a NullReferenceException without the header: refuse it here as what it is.
        var signature = request.Headers["Stripe-Signature"].ToString();
        if (string.IsNullOrWhiteSpace(signature)) return Refuse("The Stripe-Signature header is missing.");
        if (request.ContentLength > MaxWebhookBytes) return Refuse("The event is too large.");

        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(ct);
        Event stripeEvent;
        try
        {
            // Events of any API version are taken: we read only fields that every version has (decision 0006).
            stripeEvent = EventUtility.ConstructEvent(json, signature, secret, tolerance: 300, utcNow: clock.GetCurrentInstant().ToUnixTimeSeconds(),
                throwOnApiVersionMismatch: false);
        }
        catch (Exception e) when (e is StripeException or Newtonsoft.Json.JsonException or ArgumentException or FormatException)
        {
            logger.LogWarning("Stripe webhook refused: {Reason}", e.Message);
            return Refuse("The event's signature could not be verified (forged, signed with another secret, or too old).");
        }

        if (stripeEvent.ApiVersion is { } version && version != StripeConfiguration.ApiVersion)
        {
            logger.LogInformation("Stripe event {EventId} has API version {Version}; this build speaks {Ours}", stripeEvent.Id, version, StripeConfiguration.ApiVersion);
        }

        await payments.HandleEventAsync(stripeEvent, ct);
        return TypedResults.Ok();
    }

    private static ProblemHttpResult Refuse(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Webhook not accepted");

    private static async Task<Results<Ok<PaymentTotals>, NotFound>> TotalsAsync(string slug, WebinarsDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        return TypedResults.Ok(await PaymentTotals.ForAsync(db, webinar, ct));
    }

    private static async Task<Results<Ok<RefundTermsView>, NotFound>> TermsAsync(string slug, WebinarsDbContext db, RefundTerms terms, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        return TypedResults.Ok(await terms.ForAsync(webinar, ct));
    }

    private static async Task<Results<Ok<RefundTermsView>, NotFound, ValidationProblem>> SetTermsAsync(
        string slug, RefundTermsInput? input, WebinarsDbContext db, RefundTerms terms, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        var errors = new FieldErrors();
        var set = await terms.SetAsync(webinar, input ?? new RefundTermsInput(null), user.Actor(), errors, ct);
        return set is null ? TypedResults.ValidationProblem(errors.ToDictionary()) : TypedResults.Ok(set);
    }

    private static async Task<Results<Ok<RefundAnswer>, NotFound, ProblemHttpResult>> RefundAsync(
        string slug, Guid registrationId, RefundRequest? request, WebinarsDbContext db, PaymentService payments, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        var (outcome, message) = await payments.RefundByStaffAsync(webinar.Id, registrationId, request?.Amount, user.Actor(), ct);
        return outcome switch
        {
            RefundOutcome.Done => TypedResults.Ok(new RefundAnswer(message)),
            RefundOutcome.NotFound => TypedResults.NotFound(),
            RefundOutcome.Unavailable => TypedResults.Problem(message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Payment service unavailable; try again"),
            RefundOutcome.TooMuch => TypedResults.Problem(message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid amount", extensions: new Dictionary<string, object?> { ["field"] = "amount" }),
            _ => TypedResults.Problem(message, statusCode: StatusCodes.Status409Conflict, title: "Not refundable"),
        };
    }
}

public sealed record RefundAnswer(string Message);

/// <summary>Without Stripe's keys a paid webinar cannot go public: nobody could pay for it.</summary>
internal sealed class PaidAnnouncementCheck(IOptions<StripeOptions> options) : IAnnouncementCheck
{
    public string? Refusal(Webinar webinar) =>
        webinar.IsFree || options.Value.MissingSetting is not { } missing ? null
            : $"A paid webinar cannot be announced until payments are configured: set {missing} (and the other Stripe settings, see the README).";
}
