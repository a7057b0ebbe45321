using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webinars.Payments;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;
using Webinars.Tests.Registrations;

namespace Webinars.Tests.Payments;

/// <summary>An app whose Stripe is a <see cref="FakeStripe"/> in the test process; the background sweep is off (tests run it).</summary>
public interface IPaymentsApp
{
    FakeStripe Stripe { get; }
}

internal static class PaymentsHost
{
    public const string WebhookSecret = "whsec_test_secret_for_webinars";

    public static Dictionary<string, string?> Settings(FakeStripe stripe) => new()
    {
        ["Stripe:SecretKey"] = "sk_test_fake",
        ["Stripe:WebhookSecret"] = WebhookSecret,
        ["Stripe:ApiBase"] = stripe.BaseUrl,
        ["Stripe:TimeoutSeconds"] = "1",
        ["Stripe:MaxRetries"] = "3",
        ["Stripe:BackgroundSweep"] = "false",
    };

    public static void Quiet(IWebHostBuilder builder) =>
        builder.ConfigureLogging(l => l.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Critical));
}

public class SqlitePaymentsApp : SqliteApp, IPaymentsApp
{
    public SqlitePaymentsApp() => Stripe = new FakeStripe { Now = () => Clock.GetCurrentInstant().ToUnixTimeSeconds() };

    public FakeStripe Stripe { get; }

    protected override IDictionary<string, string?> Settings => PaymentsHost.Settings(Stripe);

    public override async Task InitializeAsync()
    {
        await Stripe.StartAsync();
        await base.InitializeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        PaymentsHost.Quiet(builder);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}

public class PostgresPaymentsApp : PostgresApp, IPaymentsApp
{
    public PostgresPaymentsApp() => Stripe = new FakeStripe { Now = () => Clock.GetCurrentInstant().ToUnixTimeSeconds() };

    public FakeStripe Stripe { get; }

    protected override IDictionary<string, string?> Settings => PaymentsHost.Settings(Stripe);

    public override async Task InitializeAsync()
    {
        await Stripe.StartAsync();
        await base.InitializeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        PaymentsHost.Quiet(builder);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}

/// <summary>What payment tests do again and again.</summary>
internal static class Paying
{
    public static async Task<string> WebinarAsync(HttpClient staff, int capacity = 10, long amount = 2500, string currency = "USD", bool waitlist = true) =>
        await Registering.WebinarAsync(staff, b =>
        {
            b["capacity"] = capacity;
            b["waitlist"] = waitlist;
            b["price"] = new { amount, currency };
        });

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> RegisterAsync(HttpClient client, string slug, string email)
    {
        var response = await client.PostAsJsonAsync($"/api/webinars/{slug}/registrations", Registering.Person(email));
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<string> PostEventAsync(WebinarsApp app, HttpClient client, string eventJson, string? secret = PaymentsHost.WebhookSecret, long? timestamp = null, string? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/stripe/webhook") { Content = new StringContent(body ?? eventJson, Encoding.UTF8, "application/json") };
        if (secret is not null) request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeEvents.Sign(eventJson, secret, timestamp ?? app.Clock.GetCurrentInstant().ToUnixTimeSeconds()));
        var response = await client.SendAsync(request);
        return $"{(int)response.StatusCode}";
    }

    public static string Event(WebinarsApp app, string type, JsonObject dataObject, string? id = null) =>
        StripeEvents.Event(type, dataObject, app.Clock.GetCurrentInstant().ToUnixTimeSeconds(), id);

    public static async Task<(Registration Registration, Payment? Payment)> RowAsync(WebinarsApp app, string slug, string email)
    {
        (Registration, Payment?) row = default;
        await app.WithDbAsync(async db =>
        {
            var r = await db.Registrations.AsNoTracking().FirstAsync(x => x.Webinar.Slug == slug && x.Email == email);
            row = (r, await db.Payments().AsNoTracking().FirstOrDefaultAsync(p => p.RegistrationId == r.Id));
        });
        return row;
    }

    public static async Task<int> StripeEventRowsAsync(WebinarsApp app)
    {
        var n = 0;
        await app.WithDbAsync(async db => n = await db.Set<StripeEventRecord>().CountAsync());
        return n;
    }

    public static async Task<List<string>> MessagesAsync(WebinarsApp app, Guid registrationId)
    {
        List<string> kinds = [];
        await app.WithDbAsync(async db => kinds = await db.Set<global::Webinars.Email.OutboxMessage>().AsNoTracking()
            .Where(m => m.RegistrationId == registrationId).OrderBy(m => m.CreatedAt).Select(m => m.Kind).ToListAsync());
        return kinds;
    }

    public static async Task<string?> MessageTextAsync(WebinarsApp app, Guid registrationId, string kind)
    {
        string? text = null;
        await app.WithDbAsync(async db => text = await db.Set<global::Webinars.Email.OutboxMessage>().AsNoTracking()
            .Where(m => m.RegistrationId == registrationId && m.Kind == kind).Select(m => m.TextBody).FirstOrDefaultAsync());
        return text;
    }

    /// <summary>The registrations of a webinar still holding a seat while they pay.</summary>
    public static async Task<List<Guid>> PendingAsync(WebinarsApp app, string slug)
    {
        List<Guid> ids = [];
        await app.WithDbAsync(async db => ids = await db.Registrations.Where(r => r.Webinar.Slug == slug && r.Status == RegistrationStatus.PendingPayment).Select(r => r.Id).ToListAsync());
        return ids;
    }

    /// <summary>The open session of a held seat; a seat offered from the waitlist gets one as its attendee clicks "Pay".</summary>
    public static async Task<string> SessionOfAsync(WebinarsApp app, string slug, Guid registrationId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<global::Webinars.Data.WebinarsDbContext>();
        var webinar = await db.Webinars.FirstAsync(w => w.Slug == slug);
        var outcome = await scope.ServiceProvider.GetRequiredService<PaymentService>().CheckoutForAsync(webinar, registrationId, CancellationToken.None);
        Assert.NotNull(outcome.CheckoutUrl);
        return outcome.CheckoutUrl![(outcome.CheckoutUrl!.LastIndexOf('/') + 1)..];
    }

    public static async Task<SweepResult> SweepAsync(WebinarsApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PaymentService>().SweepAsync(CancellationToken.None);
    }

    /// <summary>No seat counted twice, held + confirmed within capacity, the counter equal to both, every paid session seated or refunded.</summary>
    public static async Task AssertInvariantsAsync(WebinarsApp app, FakeStripe stripe, string slug)
    {
        await app.WithDbAsync(async db =>
        {
            var webinar = await db.Webinars.AsNoTracking().FirstAsync(w => w.Slug == slug);
            var rows = await db.Registrations.AsNoTracking().Where(r => r.WebinarId == webinar.Id).ToListAsync();
            var payments = await db.Payments().AsNoTracking().Where(p => p.WebinarId == webinar.Id).ToDictionaryAsync(p => p.RegistrationId);
            var seated = rows.Count(r => r.Status is RegistrationStatus.Confirmed or RegistrationStatus.PendingPayment);
            Assert.True(seated <= webinar.Capacity, $"{seated} seats held or confirmed for a capacity of {webinar.Capacity}");
            Assert.Equal(seated, webinar.SeatsTaken);
            var refunded = stripe.Refunds.Select(r => (string)r["payment_intent"]!).ToHashSet();
            var ids = rows.Select(r => r.Id.ToString()).ToHashSet();
            foreach (var session in stripe.Sessions.Where(s => (string?)s["payment_status"] == "paid" && ids.Contains((string)s["client_reference_id"]!)))
            {
                var id = Guid.Parse((string)session["client_reference_id"]!);
                var registration = rows.Single(r => r.Id == id);
                var seatedNow = registration.Status == RegistrationStatus.Confirmed && payments[id].SessionId == (string)session["id"]!;
                Assert.True(seatedNow || refunded.Contains((string)session["payment_intent"]!),
                    $"Session {session["id"]} was paid but registration {id} is {registration.Status} and no refund was made");
            }
        });
    }
}
