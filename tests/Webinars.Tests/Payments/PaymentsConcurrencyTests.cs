using System.Net;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Payments;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Payments;

/// <summary>
/// More payers than seats, then payments, expiries, timer releases and late payments interleaved at random, with
/// webhooks and sweeps running at the same time. Whatever the order: no seat held twice, confirmed + held within
/// capacity, and every paid session has its seat or its refund (one refund each).
/// </summary>
public abstract class PaymentsConcurrencyTests(WebinarsApp app)
{
    private const int Capacity = 5;
    private const int Payers = 20;
    private readonly FakeStripe _stripe = ((IPaymentsApp)app).Stripe;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Rush_PaymentsExpiriesAndLatePaymentsInterleaved_NeverAChargeWithoutASeat(int seed)
    {
        var random = new Random(seed);
        var slug = await Paying.WebinarAsync(await app.CreateStaffClientAsync(), capacity: Capacity);
        var client = app.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, Payers).Select(i => Paying.RegisterAsync(client, slug, $"payer{i}@example.org")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.Response.StatusCode));
        Assert.Equal(Capacity, answers.Count(a => a.Body.GetProperty("status").GetString() == "PendingPayment"));
        await Paying.AssertInvariantsAsync(app, _stripe, slug);

        for (var round = 0; round < 6; round++)
        {
            var late = new List<string>();
            var work = new List<Task>();
            foreach (var id in await Paying.PendingAsync(app, slug))
            {
                var sessionId = await Paying.SessionOfAsync(app, slug, id);
                switch (random.Next(4))
                {
                    case 0: // pays; Stripe sometimes delivers the event twice at once
                        var paid = _stripe.Complete(sessionId);
                        var json = Paying.Event(app, "checkout.session.completed", paid);
                        work.Add(Paying.PostEventAsync(app, app.CreateClient(), json));
                        if (random.Next(2) == 0) work.Add(Paying.PostEventAsync(app, app.CreateClient(), json));
                        break;
                    case 1: // walks away; Stripe's expiry event comes
                        work.Add(Paying.PostEventAsync(app, app.CreateClient(), Paying.Event(app, "checkout.session.expired", _stripe.Expire(sessionId))));
                        break;
                    case 2: // pays at the last second; the event is late
                        late.Add(Paying.Event(app, "checkout.session.completed", _stripe.Complete(sessionId)));
                        break;
                    default: // nothing: our timer releases the seat
                        break;
                }
            }

            await Task.WhenAll(work);
            app.Clock.Advance(Duration.FromMinutes(40));
            await Task.WhenAll(late.Select(json => (Task)Paying.PostEventAsync(app, app.CreateClient(), json)).Append(Paying.SweepAsync(app)));
            await Paying.AssertInvariantsAsync(app, _stripe, slug);
        }

        await Paying.SweepAsync(app);
        await Paying.SweepAsync(app);
        await Paying.AssertInvariantsAsync(app, _stripe, slug);
        Assert.All(_stripe.Refunds.GroupBy(r => (string)r["payment_intent"]!), g => Assert.Single(g));
        await app.WithDbAsync(async db => Assert.Equal(0, await db.Payments().CountAsync(p => p.State == PaymentState.RefundDue)));
    }
}

public sealed class SqlitePaymentsConcurrencyTests(SqlitePaymentsApp app) : PaymentsConcurrencyTests(app), IClassFixture<SqlitePaymentsApp>;

public sealed class PostgresPaymentsConcurrencyTests(PostgresPaymentsApp app) : PaymentsConcurrencyTests(app), IClassFixture<PostgresPaymentsApp>;
