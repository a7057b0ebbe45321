using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webinars.Tests.Payments;

/// <summary>
/// Stripe's API as far as we use it, on a loopback port in the test process: Checkout Sessions (create, retrieve, list,
/// expire) and Refunds, in Stripe's JSON shapes, form-encoded requests, idempotency keys honoured (a repeated key gets
/// the first answer) and recorded. Faults are injected on demand: 500, 429 or a timeout (the request is carried out,
/// then the answer is held back — what makes a retry without the same key dangerous).
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    public enum Fault { Status500, Status429, Timeout }

    private readonly ConcurrentDictionary<string, JsonObject> _sessions = new();
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _byKey = new();
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly object _gate = new();
    private WebApplication? _app;
    private int _next;

    /// <summary>Stripe's notion of now (unix seconds): the app's fake clock, so expiries and lists agree with it.</summary>
    public required Func<long> Now { get; init; }

    public string BaseUrl { get; private set; } = "";

    /// <summary>How long a held-back answer waits (longer than the app's per-attempt timeout).</summary>
    public TimeSpan TimeoutDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Added to every answer (the bench's 50 ms Stripe).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Runs after a session is created and before its answer is sent (e.g. to deliver its webhook first).</summary>
    public Func<JsonObject, Task>? BeforeCreateAnswer { get; set; }

    /// <summary>Every POST as (path, Idempotency-Key).</summary>
    public ConcurrentQueue<(string Path, string? Key)> Posts { get; } = new();

    public ConcurrentQueue<JsonObject> Refunds { get; } = new();

    public IReadOnlyCollection<JsonObject> Sessions => [.. _sessions.Values];

    /// <summary>The product name each session's line item was created with (what Stripe's page shows the payer).</summary>
    public ConcurrentDictionary<string, string> LineItemNames { get; } = new();

    public void FailNext(Fault fault, int times = 1)
    {
        for (var i = 0; i < times; i++) _faults.Enqueue(fault);
    }

    public void ClearFaults() => _faults.Clear();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/checkout/sessions", c => Keyed(c, CreateAsync));
        _app.MapGet("/v1/checkout/sessions/{id}", (HttpContext c, string id) => Answer(c, () => Find(id)));
        _app.MapPost("/v1/checkout/sessions/{id}/expire", (HttpContext c, string id) => Keyed(c, _ => Task.FromResult(ExpireAt(id))));
        _app.MapGet("/v1/checkout/sessions", c => Answer(c, () => List(c.Request.Query)));
        _app.MapPost("/v1/refunds", c => Keyed(c, RefundAsync));
        _app.MapGet("/checkout/{id}", (string id) => Results.Content(
            $"<!doctype html><title>Fake Checkout</title><h1>Fake Stripe Checkout</h1><p id=\"session\">{WebUtility.HtmlEncode(id)}</p>", "text/html"));
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    /// <summary>The payer pays: the session is complete and paid, with a payment intent. Returns the session.</summary>
    public JsonObject Complete(string sessionId, string paymentStatus = "paid")
    {
        lock (_gate)
        {
            var s = _sessions[sessionId];
            s["status"] = "complete";
            s["payment_status"] = paymentStatus;
            s["payment_intent"] = "pi_" + sessionId[3..];
            return (JsonObject)s.DeepClone();
        }
    }

    /// <summary>Stripe expires the session (as at its expires_at). Returns the session.</summary>
    public JsonObject Expire(string sessionId)
    {
        lock (_gate)
        {
            var s = _sessions[sessionId];
            if ((string?)s["status"] == "open") s["status"] = "expired";
            return (JsonObject)s.DeepClone();
        }
    }

    public JsonObject Session(string id)
    {
        lock (_gate) return (JsonObject)_sessions[id].DeepClone();
    }

    public JsonObject? SessionOf(Guid registrationId)
    {
        lock (_gate) return _sessions.Values.Where(s => (string?)s["client_reference_id"] == registrationId.ToString()).Select(s => (JsonObject)s.DeepClone()).LastOrDefault();
    }

    /// <summary>A charge as charge.refunded carries it.</summary>
    public static JsonObject Charge(string paymentIntent, long amount, long refunded, string currency = "usd") => new()
    {
        ["id"] = "ch_" + paymentIntent[3..],
        ["object"] = "charge",
        ["amount"] = amount,
        ["amount_refunded"] = refunded,
        ["currency"] = currency,
        ["payment_intent"] = paymentIntent,
        ["refunded"] = refunded >= amount,
        ["paid"] = true,
        ["status"] = "succeeded",
    };

    private async Task Keyed(HttpContext context, Func<Dictionary<string, string>, Task<(int, JsonNode)>> handle)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        Posts.Enqueue((context.Request.Path, key.Length == 0 ? null : key));
        var form = (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
        (int Status, string Body) answer;
        var fault = _faults.TryDequeue(out var f) ? f : (Fault?)null;
        if (fault is Fault.Status500 or Fault.Status429)
        {
            answer = fault == Fault.Status500 ? (500, Error("api_error", "Something went wrong on Stripe's end.")) : (429, Error("rate_limit_error", "Too many requests."));
        }
        else if (key.Length > 0 && _byKey.TryGetValue(key, out var earlier))
        {
            answer = earlier;
        }
        else
        {
            var (status, body) = await handle(form);
            answer = (status, body.ToJsonString());
            if (key.Length > 0) answer = _byKey.GetOrAdd(key, answer);
        }

        if (fault == Fault.Timeout) await Task.Delay(TimeoutDelay, context.RequestAborted);
        await Write(context, answer.Status, answer.Body);
    }

    private async Task Answer(HttpContext context, Func<(int, JsonNode)> handle)
    {
        if (_faults.TryDequeue(out var fault))
        {
            if (fault == Fault.Timeout) await Task.Delay(TimeoutDelay, context.RequestAborted);
            await Write(context, fault == Fault.Status429 ? 429 : 500, Error("api_error", "Injected failure."));
            return;
        }

        var (status, body) = handle();
        await Write(context, status, body.ToJsonString());
    }

    private async Task Write(HttpContext context, int status, string body)
    {
        if (Latency > TimeSpan.Zero) await Task.Delay(Latency, context.RequestAborted);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["Request-Id"] = "req_" + Interlocked.Increment(ref _next);
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private async Task<(int, JsonNode)> CreateAsync(Dictionary<string, string> form)
    {
        var id = $"cs_test_{Interlocked.Increment(ref _next):D6}{Guid.NewGuid():N}"[..32];
        var metadata = new JsonObject();
        foreach (var (k, v) in form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal))) metadata[k[9..^1]] = v;
        LineItemNames[id] = form.GetValueOrDefault("line_items[0][price_data][product_data][name]") ?? "";
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["mode"] = form.GetValueOrDefault("mode"),
            ["amount_total"] = long.Parse(form["line_items[0][price_data][unit_amount]"], CultureInfo.InvariantCulture),
            ["currency"] = form["line_items[0][price_data][currency]"],
            ["client_reference_id"] = form.GetValueOrDefault("client_reference_id"),
            ["customer_email"] = form.GetValueOrDefault("customer_email"),
            ["created"] = Now(),
            ["expires_at"] = long.Parse(form["expires_at"], CultureInfo.InvariantCulture),
            ["livemode"] = false,
            ["metadata"] = metadata,
            ["payment_intent"] = null,
            ["payment_status"] = "unpaid",
            ["status"] = "open",
            ["success_url"] = form.GetValueOrDefault("success_url"),
            ["cancel_url"] = form.GetValueOrDefault("cancel_url"),
            ["url"] = $"{BaseUrl}/checkout/{id}",
        };
        lock (_gate) _sessions[id] = session;
        if (BeforeCreateAnswer is { } hook) await hook((JsonObject)session.DeepClone());
        lock (_gate) return (200, session.DeepClone());
    }

    private (int, JsonNode) Find(string id)
    {
        lock (_gate) return _sessions.TryGetValue(id, out var s) ? (200, s.DeepClone()) : (404, JsonNode.Parse(Error("invalid_request_error", $"No such checkout.session: '{id}'"))!);
    }

    private (int, JsonNode) ExpireAt(string id)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(id, out var s)) return (404, JsonNode.Parse(Error("invalid_request_error", $"No such checkout.session: '{id}'"))!);
            if ((string?)s["status"] != "open") return (400, JsonNode.Parse(Error("invalid_request_error", "Only Checkout Sessions with a status in [\"open\"] can be expired."))!);
            s["status"] = "expired";
            return (200, s.DeepClone());
        }
    }

    private (int, JsonNode) List(IQueryCollection query)
    {
        var since = long.TryParse(query["created[gte]"], CultureInfo.InvariantCulture, out var gte) ? gte : 0;
        lock (_gate)
        {
            var data = new JsonArray(_sessions.Values.Where(s => (long)s["created"]! >= since).OrderByDescending(s => (string)s["id"]!).Select(s => s.DeepClone()).ToArray());
            return (200, new JsonObject { ["object"] = "list", ["url"] = "/v1/checkout/sessions", ["has_more"] = false, ["data"] = data });
        }
    }

    private Task<(int, JsonNode)> RefundAsync(Dictionary<string, string> form)
    {
        var intent = form.GetValueOrDefault("payment_intent") ?? "";
        JsonObject? session;
        lock (_gate) session = _sessions.Values.FirstOrDefault(s => (string?)s["payment_intent"] == intent);
        if (session is null) return Task.FromResult<(int, JsonNode)>((404, JsonNode.Parse(Error("invalid_request_error", $"No such payment_intent: '{intent}'"))!));
        var amount = form.TryGetValue("amount", out var a) ? long.Parse(a, CultureInfo.InvariantCulture) : (long)session["amount_total"]!;
        var refund = new JsonObject
        {
            ["id"] = $"re_{Interlocked.Increment(ref _next):D8}",
            ["object"] = "refund",
            ["amount"] = amount,
            ["currency"] = (string?)session["currency"],
            ["payment_intent"] = intent,
            ["status"] = "succeeded",
            ["created"] = Now(),
        };
        Refunds.Enqueue(refund);
        return Task.FromResult<(int, JsonNode)>((200, refund.DeepClone()));
    }

    private static string Error(string type, string message) => new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["message"] = message } }.ToJsonString();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}

/// <summary>Stripe's webhook events and their signature: <c>Stripe-Signature: t={unix},v1={hex HMAC-SHA256(secret, "{t}.{payload}")}</c>.</summary>
public static class StripeEvents
{
    public static string Event(string type, JsonObject dataObject, long created, string? id = null) => new JsonObject
    {
        ["id"] = id ?? $"evt_{Guid.NewGuid():N}",
        ["object"] = "event",
        ["api_version"] = Stripe.StripeConfiguration.ApiVersion,
        ["created"] = created,
        ["data"] = new JsonObject { ["object"] = dataObject.DeepClone() },
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
        ["type"] = type,
    }.ToJsonString();

    public static string Sign(string payload, string secret, long timestamp)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    public static string IdOf(string eventJson) => JsonDocument.Parse(eventJson).RootElement.GetProperty("id").GetString()!;
}
