using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Webinars.Payments;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;
using Webinars.Tests.Registrations;

namespace Webinars.Tests.Payments;

/// <summary>Webhooks that never arrived: the sweep asks Stripe and repairs what they left behind.</summary>
public abstract class ReconciliationTests(WebinarsApp app)
{
    private readonly FakeStripe _stripe = ((IPaymentsApp)app).Stripe;

    [Fact]
    public async Task Sweep_PaidSessionWithoutWebhook_Confirmed()
    {
        var slug = await Paying.WebinarAsync(await app.CreateStaffClientAsync());
        await Paying.RegisterAsync(app.CreateClient(), slug, "lost@example.org");
        var (registration, payment) = await Paying.RowAsync(app, slug, "lost@example.org");
        _stripe.Complete(payment!.SessionId!);

        var result = await Paying.SweepAsync(app);

        Assert.True(result.Repaired >= 1, result.ToString());
        var (row, paid) = await Paying.RowAsync(app, slug, "lost@example.org");
        Assert.Equal(RegistrationStatus.Confirmed, row.Status);
        Assert.Equal(PaymentState.Paid, paid!.State);
        Assert.Single(await Paying.MessagesAsync(app, registration.Id), k => k == MessageKinds.PaymentReceipt);
    }

    [Fact]
    public async Task Sweep_HoldPastExpiryWithoutEvent_ReleasedAndSessionExpiredAtStripe()
    {
        var slug = await Paying.WebinarAsync(await app.CreateStaffClientAsync(), capacity: 1);
        await Paying.RegisterAsync(app.CreateClient(), slug, "gone@example.org");
        var (_, payment) = await Paying.RowAsync(app, slug, "gone@example.org");
        app.Clock.Advance(Duration.FromMinutes(34));

        await Paying.SweepAsync(app);

        var (row, _) = await Paying.RowAsync(app, slug, "gone@example.org");
        Assert.Equal(RegistrationStatus.Cancelled, row.Status);
        Assert.Equal("expired", (string?)_stripe.Session(payment!.SessionId!)["status"]);
        Assert.Equal(0, await Registering.SeatsTakenAsync(app, slug));
    }

    [Fact]
    public async Task StaffRefund_PartThenRest_OneStripeRefundEachThenRefunded()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Paying.WebinarAsync(staff);
        await Paying.RegisterAsync(app.CreateClient(), slug, "refund@example.org");
        var (registration, payment) = await Paying.RowAsync(app, slug, "refund@example.org");
        var paid = _stripe.Complete(payment!.SessionId!);
        await Paying.PostEventAsync(app, app.CreateClient(), Paying.Event(app, "checkout.session.completed", paid));
        _stripe.FailNext(FakeStripe.Fault.Status500);

        var part = await staff.PostAsync($"/api/webinars/{slug}/payments/{registration.Id}/refund", System.Net.Http.Json.JsonContent.Create(new { amount = 1000 }));
        var rest = await staff.PostAsync($"/api/webinars/{slug}/payments/{registration.Id}/refund", System.Net.Http.Json.JsonContent.Create(new { amount = (long?)null }));
        var tooMuch = await staff.PostAsync($"/api/webinars/{slug}/payments/{registration.Id}/refund", System.Net.Http.Json.JsonContent.Create(new { amount = 1 }));

        Assert.Equal(System.Net.HttpStatusCode.OK, part.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, tooMuch.StatusCode);
        var refunds = _stripe.Refunds.Where(r => (string?)r["payment_intent"] == (string?)paid["payment_intent"]).Select(r => (long)r["amount"]!).ToList();
        Assert.Equal([1000L, 1500L], refunds);
        var (row, after) = await Paying.RowAsync(app, slug, "refund@example.org");
        Assert.Equal(RegistrationStatus.Refunded, row.Status);
        Assert.Equal(2500, after!.AmountRefunded);
        Assert.Equal(0, await Registering.SeatsTakenAsync(app, slug));
        var csv = await staff.GetStringAsync($"/api/webinars/{slug}/registrations?format=csv");
        Assert.Contains("Ticket type,Currency,Paid,Refunded,Payment", csv, StringComparison.Ordinal);
        Assert.Contains(",Standard,USD,25.00,25.00,Refunded", csv, StringComparison.Ordinal);
        var totals = await staff.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/webinars/{slug}/payments");
        Assert.Equal(2500, totals.GetProperty("paid").GetInt64());
        Assert.Equal(0, totals.GetProperty("net").GetInt64());
    }

    [Fact]
    public async Task Cancel_PaidBeforeCutoff_RefundedInFull()
    {
        var slug = await Paying.WebinarAsync(await app.CreateStaffClientAsync());
        await Paying.RegisterAsync(app.CreateClient(), slug, "changed-mind@example.org");
        var (registration, payment) = await Paying.RowAsync(app, slug, "changed-mind@example.org");
        var paid = _stripe.Complete(payment!.SessionId!);
        await Paying.PostEventAsync(app, app.CreateClient(), Paying.Event(app, "checkout.session.completed", paid));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RegistrationService>().CancelAsync(registration.Id, actor: null, CancellationToken.None);
        }

        await Paying.SweepAsync(app);

        Assert.Single(_stripe.Refunds, r => (string?)r["payment_intent"] == (string?)paid["payment_intent"] && (long)r["amount"]! == 2500);
        Assert.Contains(_stripe.Posts, p => p.Key == $"refund-{registration.Id:N}-1-due");
        var (row, after) = await Paying.RowAsync(app, slug, "changed-mind@example.org");
        Assert.Equal(RegistrationStatus.Refunded, row.Status);
        Assert.Equal(PaymentState.Refunded, after!.State);
        Assert.Equal(0, await Registering.SeatsTakenAsync(app, slug));
    }
}

public sealed class SqliteReconciliationTests(SqlitePaymentsApp app) : ReconciliationTests(app), IClassFixture<SqlitePaymentsApp>;

public sealed class PostgresReconciliationTests(PostgresPaymentsApp app) : ReconciliationTests(app), IClassFixture<PostgresPaymentsApp>;
