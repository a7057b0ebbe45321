using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Webinars.Payments;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Payments;

/// <summary>
/// More payers than seats of each ticket type, all at once, then payments, expiries, timer releases, late payments and
/// cancellations interleaved at random. After every round: per type confirmed + held = its counter ≤ its seats, the
/// webinar's the same against its capacity, waitlisted people keep their type, every payment is its type's price, and
/// every paid session has its seat or its refund.
/// </summary>
public abstract class TicketTypesConcurrencyTests(WebinarsApp app)
{
    private static readonly (string Key, long Price, int Seats)[] Types = [("standard", 2500, 3), ("student", 1000, 2), ("supporter", 5000, 1)];
    private const int Payers = 24;
    private readonly FakeStripe _stripe = ((IPaymentsApp)app).Stripe;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Rush_PerTypeHoldsExpiriesAndLatePaymentsInterleaved_NoTypeOversoldNoChargeWithoutASeat(int seed)
    {
        var random = new Random(seed);
        var staff = await app.CreateStaffClientAsync();
        var slug = await Paying.WebinarAsync(staff, capacity: Types.Sum(t => t.Seats));
        foreach (var (key, price, seats) in Types) await Tickets.SetAsync(staff, slug, key, key, price, seats);
        var client = app.CreateClient();
        var chosen = Enumerable.Range(0, Payers).ToDictionary(i => $"payer{i}@example.org", _ => Types[random.Next(Types.Length)].Key);

        var answers = await Task.WhenAll(chosen.Select(c => Tickets.RegisterAsync(client, slug, c.Key, c.Value)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var statuses = await Task.WhenAll(answers.Select(async a => (await a.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()));
        foreach (var (key, _, seats) in Types)
        {
            var asked = chosen.Count(c => c.Value == key);
            Assert.Equal(Math.Min(asked, seats), chosen.Keys.Zip(statuses).Count(p => chosen[p.First] == key && p.Second == "PendingPayment"));
        }

        await AssertInvariantsAsync(slug, chosen);
        for (var round = 0; round < 5; round++)
        {
            var late = new List<string>();
            var work = new List<Task>();
            foreach (var id in await Paying.PendingAsync(app, slug))
            {
                var sessionId = await Paying.SessionOfAsync(app, slug, id);
                switch (random.Next(5))
                {
                    case 0:
                        var json = Paying.Event(app, "checkout.session.completed", _stripe.Complete(sessionId));
                        work.Add(Paying.PostEventAsync(app, app.CreateClient(), json));
                        if (random.Next(2) == 0) work.Add(Paying.PostEventAsync(app, app.CreateClient(), json));
                        break;
                    case 1:
                        work.Add(Paying.PostEventAsync(app, app.CreateClient(), Paying.Event(app, "checkout.session.expired", _stripe.Expire(sessionId))));
                        break;
                    case 2:
                        late.Add(Paying.Event(app, "checkout.session.completed", _stripe.Complete(sessionId)));
                        break;
                    case 3: // changes their mind before paying: the held seat of their type goes to that type's waitlist
                        work.Add(CancelAsync(id));
                        break;
                    default:
                        break;
                }
            }

            await Task.WhenAll(work);
            app.Clock.Advance(Duration.FromMinutes(40));
            await Task.WhenAll(late.Select(json => (Task)Paying.PostEventAsync(app, app.CreateClient(), json)).Append(Paying.SweepAsync(app)));
            await AssertInvariantsAsync(slug, chosen);
        }

        await Paying.SweepAsync(app);
        await Paying.SweepAsync(app);
        await AssertInvariantsAsync(slug, chosen);
        Assert.All(_stripe.Refunds.GroupBy(r => (string)r["payment_intent"]!), g => Assert.Single(g));
    }

    private async Task AssertInvariantsAsync(string slug, Dictionary<string, string> chosen)
    {
        await Paying.AssertInvariantsAsync(app, _stripe, slug);
        await app.WithDbAsync(async db =>
        {
            var webinar = await db.Webinars.AsNoTracking().Include(w => w.TicketTypes).FirstAsync(w => w.Slug == slug);
            var rows = await db.Registrations.AsNoTracking().Where(r => r.WebinarId == webinar.Id).ToListAsync();
            var payments = await db.Payments().AsNoTracking().Where(p => p.WebinarId == webinar.Id).ToDictionaryAsync(p => p.RegistrationId);
            foreach (var type in webinar.TicketTypes)
            {
                var seated = rows.Count(r => r.TicketTypeId == type.Id && r.Status is RegistrationStatus.Confirmed or RegistrationStatus.PendingPayment);
                Assert.True(seated <= type.Seats, $"{seated} seats of {type.Key} held or confirmed for {type.Seats}");
                Assert.Equal(seated, type.SeatsTaken);
            }

            foreach (var r in rows)
            {
                var type = webinar.TicketTypes.Single(t => t.Id == r.TicketTypeId);
                Assert.Equal(chosen[r.Email], type.Key);
                if (payments.TryGetValue(r.Id, out var payment)) Assert.Equal(type.PriceAmount, payment.Amount);
            }
        });
    }

    private async Task CancelAsync(Guid registrationId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RegistrationService>().CancelAsync(registrationId, actor: null, CancellationToken.None);
    }
}

public sealed class SqliteTicketTypesConcurrencyTests(SqlitePaymentsApp app) : TicketTypesConcurrencyTests(app), IClassFixture<SqlitePaymentsApp>;

public sealed class PostgresTicketTypesConcurrencyTests(PostgresPaymentsApp app) : TicketTypesConcurrencyTests(app), IClassFixture<PostgresPaymentsApp>;
