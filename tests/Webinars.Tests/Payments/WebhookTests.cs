using System.Text.Json.Nodes;
using NodaTime;
using Webinars.Payments;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;
using Webinars.Tests.Registrations;

namespace Webinars.Tests.Payments;

/// <summary>Stripe's signed events: only verified ones change anything, each once, in any order.</summary>
public abstract class WebhookTests(WebinarsApp app)
{
    private readonly FakeStripe _stripe = ((IPaymentsApp)app).Stripe;
    private readonly HttpClient _client = app.CreateClient();

    private async Task<(string Slug, Registration Registration, string SessionId)> PendingAsync(int capacity = 5, string email = "payer@example.org")
    {
        var slug = await Paying.WebinarAsync(await app.CreateStaffClientAsync(), capacity: capacity);
        await Paying.RegisterAsync(_client, slug, email);
        var (registration, payment) = await Paying.RowAsync(app, slug, email);
        return (slug, registration, payment!.SessionId!);
    }

    [Fact]
    public async Task Completed_Paid_ConfirmedWithReceiptAmount()
    {
        var (slug, registration, session) = await PendingAsync();

        var status = await Paying.PostEventAsync(app, _client, Paying.Event(app, "checkout.session.completed", _stripe.Complete(session)));

        Assert.Equal("200", status);
        var (row, payment) = await Paying.RowAsync(app, slug, registration.Email);
        Assert.Equal(RegistrationStatus.Confirmed, row.Status);
        Assert.Equal(PaymentState.Paid, payment!.State);
        Assert.Equal(2500, payment.AmountPaid);
        Assert.Equal("pi_" + session[3..], payment.PaymentIntentId);
        Assert.Contains("25.00 USD", await Paying.MessageTextAsync(app, registration.Id, MessageKinds.PaymentReceipt));
        Assert.Equal(1, await Registering.SeatsTakenAsync(app, slug));
    }

    [Theory]
    [InlineData("forged")]
    [InlineData("other-secret")]
    [InlineData("stale")]
    [InlineData("missing")]
    [InlineData("garbage-header")]
    public async Task Event_NotVerifiable_400NothingChanges(string how)
    {
        var (slug, registration, session) = await PendingAsync();
        var json = Paying.Event(app, "checkout.session.completed", _stripe.Complete(session));
        var events = await Paying.StripeEventRowsAsync(app);

        var status = how switch
        {
            "forged" => await Paying.PostEventAsync(app, _client, json, body: json.Replace("2500", "1", StringComparison.Ordinal)),
            "other-secret" => await Paying.PostEventAsync(app, _client, json, secret: "whsec_someone_else"),
            "stale" => await Paying.PostEventAsync(app, _client, json, timestamp: app.Clock.GetCurrentInstant().ToUnixTimeSeconds() - 301),
            "missing" => await Paying.PostEventAsync(app, _client, json, secret: null),
            _ => await SendWithHeaderAsync(json, "t=abc,v1=zz"),
        };

        Assert.Equal("400", status);
        var (row, payment) = await Paying.RowAsync(app, slug, registration.Email);
        Assert.Equal(RegistrationStatus.PendingPayment, row.Status);
        Assert.Equal(PaymentState.Open, payment!.State);
        Assert.Equal(events, await Paying.StripeEventRowsAsync(app));
    }

    [Fact]
    public async Task Event_Replayed_AppliedOnce()
    {
        var (slug, registration, session) = await PendingAsync();
        var json = Paying.Event(app, "checkout.session.completed", _stripe.Complete(session));

        var first = await Paying.PostEventAsync(app, _client, json);
        var again = await Paying.PostEventAsync(app, _client, json);

        Assert.Equal(("200", "200"), (first, again));
        Assert.Single(await Paying.MessagesAsync(app, registration.Id), k => k == MessageKinds.PaymentReceipt);
        Assert.Equal(1, await Registering.SeatsTakenAsync(app, slug));
    }

    [Fact]
    public async Task Event_SameTwiceAtOnce_AppliedOnce()
    {
        var (slug, registration, session) = await PendingAsync();
        var json = Paying.Event(app, "checkout.session.completed", _stripe.Complete(session));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Paying.PostEventAsync(app, app.CreateClient(), json)));

        Assert.All(statuses, s => Assert.Equal("200", s));
        Assert.Single(await Paying.MessagesAsync(app, registration.Id), k => k == MessageKinds.PaymentReceipt);
        var (row, _) = await Paying.RowAsync(app, slug, registration.Email);
        Assert.Equal(RegistrationStatus.Confirmed, row.Status);
        Assert.Equal(1, await Registering.SeatsTakenAsync(app, slug));
    }

    [Fact]
    public async Task Completed_BeforeSessionAnswerSaved_ConfirmedAndSessionKept()
    {
        var slug = await Paying.WebinarAsync(await app.CreateStaffClientAsync());
        _stripe.BeforeCreateAnswer = async created =>
        {
            var paid = _stripe.Complete((string)created["id"]!);
            Assert.Equal("200", await Paying.PostEventAsync(app, app.CreateClient(), Paying.Event(app, "checkout.session.completed", paid)));
        };
        try
        {
            await Paying.RegisterAsync(_client, slug, "quick@example.org");
        }
        finally
        {
            _stripe.BeforeCreateAnswer = null;
        }

        var (row, payment) = await Paying.RowAsync(app, slug, "quick@example.org");
        Assert.Equal(RegistrationStatus.Confirmed, row.Status);
        Assert.Equal(PaymentState.Paid, payment!.State);
        Assert.NotNull(payment.CheckoutUrl);
        var kinds = await Paying.MessagesAsync(app, row.Id);
        Assert.Contains(MessageKinds.Confirmation, kinds);
        Assert.DoesNotContain(MessageKinds.PaymentPending, kinds);
    }

    [Fact]
    public async Task Expired_ReleasesHoldAndOffersSeatToWaitlist()
    {
        var (slug, registration, session) = await PendingAsync(capacity: 1);
        await Paying.RegisterAsync(_client, slug, "waiting@example.org");

        var status = await Paying.PostEventAsync(app, _client, Paying.Event(app, "checkout.session.expired", _stripe.Expire(session)));

        Assert.Equal("200", status);
        var (row, payment) = await Paying.RowAsync(app, slug, registration.Email);
        Assert.Equal(RegistrationStatus.Cancelled, row.Status);
        Assert.Equal(PaymentState.Expired, payment!.State);
        var (next, offer) = await Paying.RowAsync(app, slug, "waiting@example.org");
        Assert.Equal(RegistrationStatus.PendingPayment, next.Status);
        Assert.Equal(PaymentState.Open, offer!.State);
        Assert.Contains(MessageKinds.SeatOffered, await Paying.MessagesAsync(app, next.Id));
        Assert.Equal(1, await Registering.SeatsTakenAsync(app, slug));
    }

    [Fact]
    public async Task Events_OutOfOrder_ExpiredAfterCompletedChangesNothing()
    {
        var (slug, registration, session) = await PendingAsync();
        var paid = _stripe.Complete(session);
        var expired = (JsonObject)paid.DeepClone();
        expired["status"] = "expired";

        await Paying.PostEventAsync(app, _client, Paying.Event(app, "checkout.session.completed", paid));
        var status = await Paying.PostEventAsync(app, _client, Paying.Event(app, "checkout.session.expired", expired));

        Assert.Equal("200", status);
        var (row, _) = await Paying.RowAsync(app, slug, registration.Email);
        Assert.Equal(RegistrationStatus.Confirmed, row.Status);
        Assert.Equal(1, await Registering.SeatsTakenAsync(app, slug));
    }

    [Fact]
    public async Task Completed_AfterHoldGivenAway_RefundedOnceAndPayerTold()
    {
        var (slug, registration, session) = await PendingAsync(capacity: 1);
        app.Clock.Advance(Duration.FromMinutes(40));
        await Paying.SweepAsync(app); // our timer releases the hold (Stripe's event never came)
        await Paying.RegisterAsync(_client, slug, "next@example.org");

        // The payer had paid at the last second; Stripe's event arrives late.
        var paid = _stripe.Complete(session);
        Assert.Equal("200", await Paying.PostEventAsync(app, _client, Paying.Event(app, "checkout.session.completed", paid)));
        await Paying.SweepAsync(app);
        await Paying.SweepAsync(app);

        var (row, payment) = await Paying.RowAsync(app, slug, registration.Email);
        Assert.Equal(RegistrationStatus.Refunded, row.Status);
        Assert.Equal(PaymentState.Refunded, payment!.State);
        Assert.Single(_stripe.Refunds, r => (string?)r["payment_intent"] == (string?)paid["payment_intent"]);
        Assert.Contains("given to someone else", await Paying.MessageTextAsync(app, registration.Id, MessageKinds.PaymentRefunded));
        await Paying.AssertInvariantsAsync(app, _stripe, slug);
    }

    [Fact]
    public async Task ChargeRefunded_RegistrationRefundedSeatFreed()
    {
        var (slug, registration, session) = await PendingAsync();
        var paid = _stripe.Complete(session);
        await Paying.PostEventAsync(app, _client, Paying.Event(app, "checkout.session.completed", paid));

        var status = await Paying.PostEventAsync(app, _client, Paying.Event(app, "charge.refunded", FakeStripe.Charge((string)paid["payment_intent"]!, 2500, 2500)));

        Assert.Equal("200", status);
        var (row, payment) = await Paying.RowAsync(app, slug, registration.Email);
        Assert.Equal(RegistrationStatus.Refunded, row.Status);
        Assert.Equal(2500, payment!.AmountRefunded);
        Assert.Equal(0, await Registering.SeatsTakenAsync(app, slug));
    }

    [Fact]
    public async Task Event_UnknownType_200NothingStored()
    {
        var events = await Paying.StripeEventRowsAsync(app);

        var status = await Paying.PostEventAsync(app, _client, Paying.Event(app, "customer.created", new JsonObject { ["id"] = "cus_1", ["object"] = "customer" }));

        Assert.Equal("200", status);
        Assert.Equal(events, await Paying.StripeEventRowsAsync(app));
    }

    private async Task<string> SendWithHeaderAsync(string json, string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/stripe/webhook") { Content = new StringContent(json) };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", header);
        return $"{(int)(await _client.SendAsync(request)).StatusCode}";
    }
}

public sealed class SqliteWebhookTests(SqlitePaymentsApp app) : WebhookTests(app), IClassFixture<SqlitePaymentsApp>;

public sealed class PostgresWebhookTests(PostgresPaymentsApp app) : WebhookTests(app), IClassFixture<PostgresPaymentsApp>;
