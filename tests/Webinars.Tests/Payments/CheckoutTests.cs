using System.Net;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;
using Webinars.Tests.Registrations;

namespace Webinars.Tests.Payments;

/// <summary>Registering for a paid webinar: a held seat and one Checkout Session, whatever Stripe's weather.</summary>
public abstract class CheckoutTests(WebinarsApp app)
{
    private readonly FakeStripe _stripe = ((IPaymentsApp)app).Stripe;

    [Fact]
    public async Task Register_PaidWebinar_HoldsSeatAndAnswersCheckoutUrl()
    {
        var slug = await Paying.WebinarAsync(await app.CreateStaffClientAsync(), capacity: 3, amount: 2500, currency: "USD");

        var (response, body) = await Paying.RegisterAsync(app.CreateClient(), slug, "payer@example.org");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("PendingPayment", body.GetProperty("status").GetString());
        var (registration, payment) = await Paying.RowAsync(app, slug, "payer@example.org");
        var session = _stripe.SessionOf(registration.Id)!;
        Assert.Equal((string)session["url"]!, body.GetProperty("checkoutUrl").GetString());
        Assert.Equal(registration.Id.ToString(), (string?)session["client_reference_id"]);
        Assert.Equal(registration.Id.ToString(), (string?)session["metadata"]!["registrationId"]);
        Assert.Equal("payer@example.org", (string?)session["customer_email"]);
        Assert.Equal(2500, (long)session["amount_total"]!);
        Assert.Equal("usd", (string?)session["currency"]);
        Assert.InRange((long)session["expires_at"]! - (long)session["created"]!, 30 * 60, 32 * 60);
        Assert.EndsWith($"/webinars/{slug}/manage?notice=paid", (string?)session["success_url"]);
        Assert.Equal(RegistrationStatus.PendingPayment, registration.Status);
        Assert.Equal((string)session["id"]!, payment!.SessionId);
        Assert.Equal(1, await Registering.SeatsTakenAsync(app, slug));
        Assert.Contains(_stripe.Posts, p => p.Key == $"checkout-{registration.Id:N}-1");
        Assert.Contains(MessageKinds.PaymentPending, await Paying.MessagesAsync(app, registration.Id));
    }

    [Fact]
    public async Task Register_NoSeatLeft_WaitlistedWithoutSession()
    {
        var slug = await Paying.WebinarAsync(await app.CreateStaffClientAsync(), capacity: 1);
        await Paying.RegisterAsync(app.CreateClient(), slug, "first@example.org");
        var sessionsBefore = _stripe.Sessions.Count;

        var (response, body) = await Paying.RegisterAsync(app.CreateClient(), slug, "second@example.org");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Waitlisted", body.GetProperty("status").GetString());
        Assert.False(body.TryGetProperty("checkoutUrl", out _));
        Assert.Equal(sessionsBefore, _stripe.Sessions.Count);
        Assert.Equal(1, await Registering.SeatsTakenAsync(app, slug));
    }

    [Fact]
    public async Task Register_StripeFailsThenAnswers_RetriedWithSameKeyOneSession()
    {
        var slug = await Paying.WebinarAsync(await app.CreateStaffClientAsync());
        _stripe.FailNext(FakeStripe.Fault.Status500);
        _stripe.FailNext(FakeStripe.Fault.Timeout);
        _stripe.FailNext(FakeStripe.Fault.Status429);

        var (response, _) = await Paying.RegisterAsync(app.CreateClient(), slug, "patient@example.org");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var (registration, payment) = await Paying.RowAsync(app, slug, "patient@example.org");
        var keys = _stripe.Posts.Where(p => p.Key?.Contains(registration.Id.ToString("N"), StringComparison.Ordinal) == true).Select(p => p.Key).ToList();
        Assert.Equal(4, keys.Count);
        Assert.Single(keys.Distinct());
        Assert.Single(_stripe.Sessions, s => (string?)s["client_reference_id"] == registration.Id.ToString());
        Assert.Equal("Open", PaymentStateName(payment!));
    }

    [Fact]
    public async Task Register_StripeUnreachable_503HoldReleasedNothingSaved()
    {
        var slug = await Paying.WebinarAsync(await app.CreateStaffClientAsync(), capacity: 1);
        _stripe.FailNext(FakeStripe.Fault.Status500, times: 4);

        var (response, body) = await Paying.RegisterAsync(app.CreateClient(), slug, "unlucky@example.org");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("try again", body.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await Registering.RowsAsync(app, slug));
        Assert.Equal(0, await Registering.SeatsTakenAsync(app, slug));
        _stripe.ClearFaults();
        var (again, _) = await Paying.RegisterAsync(app.CreateClient(), slug, "unlucky@example.org");
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task Register_SameEmailAgain_SameCheckoutNoSecondSession()
    {
        var slug = await Paying.WebinarAsync(await app.CreateStaffClientAsync());
        var (_, first) = await Paying.RegisterAsync(app.CreateClient(), slug, "twice@example.org");
        var count = _stripe.Sessions.Count;

        var (response, second) = await Paying.RegisterAsync(app.CreateClient(), slug, " TWICE@example.org ");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(first.GetProperty("checkoutUrl").GetString(), second.GetProperty("checkoutUrl").GetString());
        Assert.Equal(count, _stripe.Sessions.Count);
        Assert.Single(await Registering.RowsAsync(app, slug));
    }

    private static string PaymentStateName(global::Webinars.Payments.Payment p) => p.State.ToString();
}

public sealed class SqliteCheckoutTests(SqlitePaymentsApp app) : CheckoutTests(app), IClassFixture<SqlitePaymentsApp>;

public sealed class PostgresCheckoutTests(PostgresPaymentsApp app) : CheckoutTests(app), IClassFixture<PostgresPaymentsApp>;
