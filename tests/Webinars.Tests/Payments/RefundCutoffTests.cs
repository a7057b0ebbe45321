using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webinars.Payments;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;
using Webinars.Tests.Registrations;

namespace Webinars.Tests.Payments;

/// <summary>
/// The refund cutoff staff set per webinar: a cancellation before it is refunded in full (once, under the registration's
/// key, even when Stripe's answer is lost), one after it cancels without a refund, and the manage page says which before
/// the attendee confirms. The webinars start 2027-01-12 14:00 UTC, about 44 days after the fake clock's now.
/// </summary>
public abstract class RefundCutoffTests(WebinarsApp app)
{
    /// <summary>50 days before the start: already past.</summary>
    private const int PastCutoffHours = 50 * 24;

    private readonly FakeStripe _stripe = ((IPaymentsApp)app).Stripe;

    [Fact]
    public async Task SetTerms_Valid_ShownAndAudited()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Paying.WebinarAsync(staff);
        var before = await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}/payments/terms");

        var put = await staff.PutAsJsonAsync($"/api/webinars/{slug}/payments/terms", new { refundCutoffHours = 72 });

        Assert.True(before.GetProperty("isDefault").GetBoolean());
        Assert.Equal(24, before.GetProperty("refundCutoffHours").GetInt32());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var after = await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}/payments/terms");
        Assert.False(after.GetProperty("isDefault").GetBoolean());
        Assert.Equal(72, after.GetProperty("refundCutoffHours").GetInt32());
        Assert.Equal("2027-01-09T14:00:00Z", after.GetProperty("refundsUntil").GetString());
    }

    [Theory]
    [InlineData("{\"refundCutoffHours\": -1}")]
    [InlineData("{\"refundCutoffHours\": 9000}")]
    [InlineData("{}")]
    public async Task SetTerms_BadHours_ProblemNamesFieldAndChangesNothing(string body)
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Paying.WebinarAsync(staff);

        var put = await staff.PutAsync($"/api/webinars/{slug}/payments/terms", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("refundCutoffHours", out _), problem.ToString());
        var terms = await staff.GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}/payments/terms");
        Assert.True(terms.GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task SetTerms_FreeWebinar_Refused()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Registering.WebinarAsync(staff);

        var put = await staff.PutAsJsonAsync($"/api/webinars/{slug}/payments/terms", new { refundCutoffHours = 24 });

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
    }

    [Fact]
    public async Task Cancel_BeforeStaffCutoff_RefundedOnceUnderTheRegistrationsKey()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Paying.WebinarAsync(staff);
        await staff.PutAsJsonAsync($"/api/webinars/{slug}/payments/terms", new { refundCutoffHours = 48 });
        var (registration, intent) = await PaidAsync(slug, "early@example.org");
        var html = await ManagePageAsync(registration.Id, slug);
        Assert.Contains("You get your $25.00 back in full", html, StringComparison.Ordinal);

        await CancelAsync(registration.Id);
        // Stripe makes the refund but its answer is lost: the retry under the same key gets the same refund.
        _stripe.FailNext(FakeStripe.Fault.Timeout);
        await Paying.SweepAsync(app);
        await Paying.SweepAsync(app);

        Assert.Single(_stripe.Refunds, r => (string?)r["payment_intent"] == intent);
        Assert.All(_stripe.Posts.Where(p => p.Path == "/v1/refunds" && p.Key!.Contains($"{registration.Id:N}", StringComparison.Ordinal)),
            p => Assert.Equal($"refund-{registration.Id:N}-1-due", p.Key));
        var (row, payment) = await Paying.RowAsync(app, slug, "early@example.org");
        Assert.Equal(RegistrationStatus.Refunded, row.Status);
        Assert.Equal(2500, payment!.AmountRefunded);
        Assert.Equal(0, await Registering.SeatsTakenAsync(app, slug));
    }

    [Fact]
    public async Task Cancel_AfterStaffCutoff_CancelledWithoutRefundAndToldBefore()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await Paying.WebinarAsync(staff);
        await staff.PutAsJsonAsync($"/api/webinars/{slug}/payments/terms", new { refundCutoffHours = PastCutoffHours });
        var (registration, intent) = await PaidAsync(slug, "late@example.org");
        var html = await ManagePageAsync(registration.Id, slug);
        Assert.Contains("Refunds ended 2026-11-23", html, StringComparison.Ordinal);
        Assert.Contains("you will not get your $25.00 back", html, StringComparison.Ordinal);

        await CancelAsync(registration.Id);
        await Paying.SweepAsync(app);

        Assert.DoesNotContain(_stripe.Refunds, r => (string?)r["payment_intent"] == intent);
        var (row, payment) = await Paying.RowAsync(app, slug, "late@example.org");
        Assert.Equal(RegistrationStatus.Cancelled, row.Status);
        Assert.Equal(PaymentState.Paid, payment!.State);
        Assert.Equal(0, payment.AmountRefunded);
        Assert.Equal(0, await Registering.SeatsTakenAsync(app, slug));
    }

    private async Task<(Registration Registration, string Intent)> PaidAsync(string slug, string email)
    {
        await Paying.RegisterAsync(app.CreateClient(), slug, email);
        var (registration, payment) = await Paying.RowAsync(app, slug, email);
        var paid = _stripe.Complete(payment!.SessionId!);
        Assert.Equal("200", await Paying.PostEventAsync(app, app.CreateClient(), Paying.Event(app, "checkout.session.completed", paid)));
        return (registration, (string)paid["payment_intent"]!);
    }

    /// <summary>The manage page as the attendee sees it, signed in through a fresh link.</summary>
    private async Task<string> ManagePageAsync(Guid registrationId, string slug)
    {
        // The emailed token is not kept (only its hash): give the registration a known one, as a resent link would.
        var (token, hash) = AccessTokens.New();
        await app.WithDbAsync(db => db.Registrations.Where(r => r.Id == registrationId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.AccessTokenHash, hash)));

        var client = app.CreateClient();
        var page = await client.GetAsync($"/r/{token}");
        Assert.Equal($"/webinars/{slug}/manage", page.RequestMessage!.RequestUri!.AbsolutePath);
        return WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
    }

    private async Task CancelAsync(Guid registrationId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RegistrationService>().CancelAsync(registrationId, actor: null, CancellationToken.None);
    }
}

public sealed class SqliteRefundCutoffTests(SqlitePaymentsApp app) : RefundCutoffTests(app), IClassFixture<SqlitePaymentsApp>;

public sealed class PostgresRefundCutoffTests(PostgresPaymentsApp app) : RefundCutoffTests(app), IClassFixture<PostgresPaymentsApp>;
