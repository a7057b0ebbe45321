using System.Globalization;
using Microsoft.Extensions.Options;
using NodaTime;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Stripe;
using Stripe.Checkout;
using Webinars.Infrastructure;

namespace Webinars.Payments;

/// <summary>
/// Stripe.net behind a Polly pipeline: a timeout per attempt, retries with exponential backoff and jitter on transient
/// failures only (network, timeout, 429, 5xx, 409 "idempotency key in use"), and a circuit breaker. Stripe.net's own retries
/// are off so that there is one policy. Every POST carries our idempotency key, so a retry never does a thing twice.
/// </summary>
public sealed class StripeGateway : IStripeGateway
{
    // Made on first use: Stripe.net refuses an empty key, and without keys nothing here is ever called.
    private readonly Lazy<StripeClient> _lazyClient;
    private readonly ResiliencePipeline _pipeline;

    public StripeGateway(IOptions<StripeOptions> options, IHttpClientFactory http)
    {
        var o = options.Value;
        _lazyClient = new(() => new StripeClient(new StripeClientOptions
        {
            ApiKey = o.SecretKey,
            ApiBase = string.IsNullOrEmpty(o.ApiBase) ? null : o.ApiBase.TrimEnd('/'),
            HttpClient = new SystemNetHttpClient(http.CreateClient(nameof(StripeGateway)), maxNetworkRetries: 0),
        }));
        _pipeline = Resilience.Pipeline(
            IsTransient,
            new RetrySettings(o.MaxRetries, TimeSpan.FromMilliseconds(200)),
            new BreakerSettings(MinimumThroughput: 20, Sampling: TimeSpan.FromSeconds(30), Pause: TimeSpan.FromSeconds(15)),
            TimeSpan.FromSeconds(o.TimeoutSeconds));
    }

    private StripeClient Client => _lazyClient.Value;

    public Task<CheckoutSession> CreateCheckoutAsync(CheckoutRequest request, CancellationToken ct) => CallAsync(async token =>
    {
        var r = request;
        var id = r.RegistrationId.ToString();
        var session = await new SessionService(Client).CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = id,
            CustomerEmail = r.Email,
            Metadata = new Dictionary<string, string> { ["registrationId"] = id, ["attempt"] = r.Attempt.ToString(CultureInfo.InvariantCulture) },
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string> { ["registrationId"] = id } },
            ExpiresAt = r.ExpiresAt.ToDateTimeUtc(),
            SuccessUrl = r.SuccessUrl,
            CancelUrl = r.CancelUrl,
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = r.Currency.ToLowerInvariant(),
                        UnitAmount = r.Amount,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = r.Description },
                    },
                },
            ],
        }, new RequestOptions { IdempotencyKey = r.IdempotencyKey }, token);
        return From(session);
    }, "create a Checkout Session", ct);

    public Task<CheckoutSession> GetSessionAsync(string sessionId, CancellationToken ct) =>
        CallAsync(async token => From(await new SessionService(Client).GetAsync(sessionId, cancellationToken: token)), "read a Checkout Session", ct);

    public Task<IReadOnlyList<CheckoutSession>> RecentSessionsAsync(Instant since, CancellationToken ct) => CallAsync<IReadOnlyList<CheckoutSession>>(async token =>
    {
        var list = new List<CheckoutSession>();
        var options = new SessionListOptions { Limit = 100, Created = new DateRangeOptions { GreaterThanOrEqual = since.ToDateTimeUtc() } };
        await foreach (var session in new SessionService(Client).ListAutoPagingAsync(options, cancellationToken: token))
        {
            list.Add(From(session));
        }

        return list;
    }, "list Checkout Sessions", ct);

    public Task ExpireSessionAsync(string sessionId, CancellationToken ct) =>
        CallAsync(async token => From(await new SessionService(Client).ExpireAsync(sessionId, cancellationToken: token)), "expire a Checkout Session", ct);

    public Task<string> RefundAsync(string paymentIntentId, long? amount, string idempotencyKey, CancellationToken ct) => CallAsync(async token =>
    {
        var refund = await new RefundService(Client).CreateAsync(
            new RefundCreateOptions { PaymentIntent = paymentIntentId, Amount = amount },
            new RequestOptions { IdempotencyKey = idempotencyKey }, token);
        return refund.Id;
    }, "refund a payment", ct);

    internal static CheckoutSession From(Session s) => new(
        s.Id, s.Url, s.Status ?? "open", s.PaymentStatus ?? "unpaid",
        Guid.TryParse(s.ClientReferenceId ?? s.Metadata?.GetValueOrDefault("registrationId"), out var id) ? id : null,
        int.TryParse(s.Metadata?.GetValueOrDefault("attempt"), NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) ? attempt : 1,
        s.PaymentIntentId, s.AmountTotal ?? 0, s.Currency?.ToUpperInvariant());

    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, string what, CancellationToken ct)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token => await call(token), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is StripeException or HttpRequestException or TimeoutRejectedException or BrokenCircuitException or OperationCanceledException)
        {
            // The message names what failed, never the request (it carries the key in its headers).
            throw new StripeUnavailableException($"Stripe could not {what}: {Describe(e)}", e);
        }
    }

    private static string Describe(Exception e) => e switch
    {
        StripeException s => $"{(int)s.HttpStatusCode} {s.StripeError?.Type} {s.StripeError?.Message}".Trim(),
        TimeoutRejectedException => "no answer in time",
        BrokenCircuitException => "too many recent failures; waiting before trying again",
        _ => e.GetType().Name,
    };

    private static bool IsTransient(Exception e) => e switch
    {
        StripeException s => (int)s.HttpStatusCode is 409 or 429 or >= 500 || s.HttpStatusCode == 0,
        HttpRequestException or TimeoutRejectedException => true,
        OperationCanceledException => true, // Stripe.net's own HttpClient timeout; the caller's cancellation stops the pipeline first
        _ => false,
    };
}
