using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Webinars.Infrastructure;
using Webinars.Payments;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Payments;

/// <summary>Prices as Stripe takes them, shown as readers write them; paid webinars stay drafts until Stripe's keys are set.</summary>
public abstract class PricesTests(WebinarsApp app)
{
    [Theory]
    [InlineData("en-US", 2500, "USD", "$25.00")]
    [InlineData("en-GB", 2500, "USD", "US$25.00")]
    [InlineData("de-DE", 2500, "EUR", "25,00 €")]
    [InlineData("fr-FR", 1999, "EUR", "19,99 €")]
    [InlineData("en-GB", 1250, "GBP", "£12.50")]
    [InlineData("en-US", 2500, "JPY", "¥2,500")]
    public void Format_ReaderCulture_WrittenAsTheReaderWritesIt(string culture, long amount, string currency, string expected)
    {
        var text = Money.Format(amount, currency, CultureInfo.GetCultureInfo(culture));

        Assert.Equal(expected, text.Replace('\u00A0', ' ').Replace('\u202F', ' ').Replace('￥', '¥'));
    }

    [Theory]
    [InlineData(2500, "JPY", null)]
    [InlineData(50, "USD", null)]
    [InlineData(49, "USD", "price.amount")]
    [InlineData(29, "GBP", "price.amount")]
    [InlineData(49, "JPY", "price.amount")]
    [InlineData(0, "USD", "price.amount")]
    [InlineData(100_000_000, "USD", "price.amount")]
    [InlineData(2500, "XYZ", "price.currency")]
    [InlineData(2500, "KPW", "price.currency")]
    [InlineData(2500, "US", "price.currency")]
    public void Validate_AmountAndCurrency_StripeLimitsApplied(long amount, string currency, string? field)
    {
        var errors = new FieldErrors();

        var price = Money.Validate(amount, currency, errors);

        if (field is null) Assert.Equal((amount, currency), price);
        else Assert.True(errors.Has(field), $"{amount} {currency}: no error for {field}");
    }

    [Fact]
    public async Task Create_BelowStripeMinimum_400NamesAmountAndMinimum()
    {
        var staff = await app.CreateStaffClientAsync();
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff));
        body["price"] = new { amount = 20, currency = "EUR" };

        var message = await Problems.AssertFieldErrorAsync(await staff.PostAsJsonAsync("/api/webinars", body), "price.amount");

        Assert.Contains("0.50 EUR", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Announce_PaidWithoutStripeKeys_409NamesTheSettingButDraftIsSaved()
    {
        var staff = await app.CreateStaffClientAsync();
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff), title: "Paid draft");
        body["price"] = new { amount = 2500, currency = "USD" };
        var slug = await TestData.CreateWebinarAsync(staff, body, announce: false);

        var problem = await Problems.AssertProblemAsync(await staff.PostAsync($"/api/webinars/{slug}/announce", null), HttpStatusCode.Conflict);

        Assert.Contains("Stripe:SecretKey", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var draft = await (await staff.GetAsync($"/api/webinars/{slug}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Draft", draft.GetProperty("status").GetString());
        Assert.Equal("25.00 USD", draft.GetProperty("price").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Announce_FreeWithoutStripeKeys_Succeeds()
    {
        var staff = await app.CreateStaffClientAsync();
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TestData.CreateTopicAsync(staff), title: "Free one"), announce: false);

        var response = await staff.PostAsync($"/api/webinars/{slug}/announce", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class SqlitePricesTests(SqliteApp app) : PricesTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresPricesTests(PostgresApp app) : PricesTests(app), IClassFixture<PostgresApp>;
