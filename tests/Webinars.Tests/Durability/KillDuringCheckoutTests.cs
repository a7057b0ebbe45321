using System.Net.Http.Json;
using Npgsql;
using Webinars.Tests.Infrastructure;
using Webinars.Tests.Payments;
using Webinars.Tests.Registrations;
using Xunit.Abstractions;

namespace Webinars.Tests.Durability;

/// <summary>
/// The app as a real process on PostgreSQL, killed with SIGKILL after Stripe (the fake) created two Checkout Sessions and
/// before the app saved their ids: the fake's hook kills it at that very moment, no sleep. Started again, the
/// reconciliation finds both sessions: the one that was paid ends confirmed with its seat, the one that expired releases
/// its seat — never a charge without a seat.
/// </summary>
public sealed class KillDuringCheckoutTests(ITestOutputHelper output) : ProcessTest("checkoutkill", maxPoolSize: 10)
{
    private const string Payer = "payer@example.org";
    private const string Leaver = "leaver@example.org";

    /// <summary>Stripe's clock is the real one here: the app process runs on it too.</summary>
    private FakeStripe Stripe { get; } = new() { Now = () => NodaTime.SystemClock.Instance.GetCurrentInstant().ToUnixTimeSeconds() };

    protected override Dictionary<string, string?> Settings => new()
    {
        ["Stripe__SecretKey"] = "sk_test_fake",
        ["Stripe__WebhookSecret"] = PaymentsHost.WebhookSecret,
        ["Stripe__ApiBase"] = Stripe.BaseUrl,
        ["Stripe__SweepIntervalSeconds"] = "1",
        // The kill comes while the first creation waits in the fake for the second: its call must not time out first.
        ["Stripe__TimeoutSeconds"] = "120",
    };

    public override async Task InitializeAsync()
    {
        await Stripe.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    [Fact]
    public async Task Checkout_AppKilledAfterSessionCreatedBeforeItsIdSaved_ReconciliationConfirmsThePaidOneAndReleasesTheOther()
    {
        await AddStaffAsync(Sweep(false));
        var first = await StartAsync(Sweep(false));
        var slug = await CreateWebinarAsync(first);

        // Both sessions exist at Stripe before either answer leaves: the second creation kills the app, the first waits for it.
        var sessions = new List<string>();
        Exception? killError = null;
        var bothCreated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Stripe.BeforeCreateAnswer = async session =>
        {
            int count;
            lock (sessions)
            {
                sessions.Add((string)session["id"]!);
                count = sessions.Count;
            }

            if (count == 2)
            {
                try
                {
                    first.Kill();
                }
                catch (Exception e)
                {
                    killError = e;
                }

                bothCreated.TrySetResult();
            }

            await bothCreated.Task.WaitAsync(TimeSpan.FromSeconds(AppProcess.PatienceSeconds));
        };
        using var client = first.CreateClient();
        var payer = client.PostAsJsonAsync($"/api/webinars/{slug}/registrations", Registering.Person(Payer));
        await WaitUntilAsync(() => Task.FromResult(Stripe.Sessions.Count == 1), "the first session to be created", first);
        var leaver = client.PostAsJsonAsync($"/api/webinars/{slug}/registrations", Registering.Person(Leaver));
        var payerError = await Record.ExceptionAsync(() => payer);
        var leaverError = await Record.ExceptionAsync(() => leaver);
        // The calls fail as soon as the signal lands; the hook returns once the process is reaped.
        await bothCreated.Task.WaitAsync(TimeSpan.FromSeconds(AppProcess.PatienceSeconds));
        Assert.True(first.HasExited && payerError is not null && leaverError is not null,
            $"{Stripe.Sessions.Count} sessions; kill: {killError}; payer: {payerError?.GetType().Name}; leaver: {leaverError?.GetType().Name}\n{first.Output}");
        Stripe.BeforeCreateAnswer = null;

        var saved = await ScalarAsync<long>("""SELECT COUNT(*) FROM "Payment" WHERE "SessionId" IS NOT NULL""");
        Assert.Equal(0, saved);
        Assert.Equal(2, await SeatsTakenAsync(slug));
        var bySession = Stripe.Sessions.ToDictionary(s => (string)s["customer_email"]!, s => (string)s["id"]!);
        // While the app is down the payer pays on the page (as if the link had reached them), the other session runs out.
        var paid = Stripe.Complete(bySession[Payer]);
        Stripe.Expire(bySession[Leaver]);

        var second = await StartAsync(Sweep(true));
        await WaitUntilAsync(async () => (await StatusAsync(Payer)).Status == "Confirmed" && (await StatusAsync(Leaver)).Status == "Cancelled",
            "reconciliation to confirm the payer and release the leaver", second);

        var payerRow = await StatusAsync(Payer);
        var leaverRow = await StatusAsync(Leaver);
        output.WriteLine($"payer {payerRow}; leaver {leaverRow}");
        Assert.Equal(("Confirmed", "Paid", bySession[Payer], 2500L), payerRow);
        Assert.Equal(("Cancelled", "Expired", bySession[Leaver], 0L), leaverRow);
        Assert.Equal(1, await SeatsTakenAsync(slug));
        Assert.Empty(Stripe.Refunds);
        Assert.Equal(2, Stripe.Posts.Count(p => p.Path == "/v1/checkout/sessions"));
        Assert.Equal((string)paid["payment_intent"]!, await ScalarAsync<string>(
            $"""SELECT p."PaymentIntentId" FROM "Payment" p JOIN "Registrations" r ON r."Id" = p."RegistrationId" WHERE r."Email" = '{Payer}'"""));
    }

    /// <summary>The first instance must not reconcile before the kill (it would save the ids); the second one reconciles every second.</summary>
    private static Dictionary<string, string?> Sweep(bool on) => new() { ["Stripe__BackgroundSweep"] = on ? "true" : "false" };

    private static async Task<string> CreateWebinarAsync(AppProcess app)
    {
        using var staff = await StaffClientAsync(app);
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff));
        body["capacity"] = 2;
        body["waitlist"] = true;
        body["price"] = new { amount = 2500, currency = "USD" };
        return await TestData.CreateWebinarAsync(staff, body, announce: true);
    }

    private async Task<(string Status, string? Payment, string? Session, long Paid)> StatusAsync(string email)
    {
        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand(
            """SELECT r."Status", p."State", p."SessionId", p."AmountPaid" FROM "Registrations" r LEFT JOIN "Payment" p ON p."RegistrationId" = r."Id" WHERE r."Email" = @email""", connection);
        command.Parameters.AddWithValue("email", email);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no registration for {email}");
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? 0 : reader.GetInt64(3));
    }

    private async Task<int> SeatsTakenAsync(string slug) => await ScalarAsync<int>($"""SELECT "SeatsTaken" FROM "Webinars" WHERE "Slug" = '{slug}'""");

}
