using Webinars.Tests.Infrastructure;
using Webinars.Tests.Payments;
using static Microsoft.Playwright.Assertions;

namespace Webinars.Tests.Browser;

/// <summary>Paying as people do: the form, Stripe's (fake) Checkout page, Stripe's signed event, back to "confirmed".</summary>
[Collection(BrowserFixtureGroup.Name)]
public sealed class PaymentInBrowserTests(BrowserApp app)
{
    [Fact]
    public async Task PaidRegistration_CheckoutThenWebhook_ManagePageShowsConfirmedAndAmount()
    {
        var staff = await app.CreateStaffClientAsync();
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff), $"Paid {Guid.NewGuid():N}"[..20], "2027-01-12T09:00:00");
        body["capacity"] = 3;
        body["price"] = new { amount = 2500, currency = "USD" };
        var slug = await TestData.CreateWebinarAsync(staff, body);
        var email = $"payer-{Guid.NewGuid():N}@example.org";

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await new WebinarPage(page).GotoAsync(slug);
        await Expect(page.Locator("section.register .price")).ToContainTextAsync("$25.00");
        var form = new RegistrationFormPart(page);
        await form.FillAsync("Ada Lovelace", email, "Analytical Society");
        await FormPosts.ExpectRedirectAsync(page, form.SubmitAsync, $"{app.Stripe.BaseUrl}/checkout/**");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Fake Stripe Checkout");

        // The payer pays on Stripe's page; Stripe tells the app with a signed event, then sends the browser back.
        var sessionId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var paid = app.Stripe.Complete(sessionId);
        Assert.Equal("200", await Paying.PostEventAsync(app, app.CreateClient(), Paying.Event(app, "checkout.session.completed", paid)));
        await page.GotoAsync((string)paid["success_url"]!);

        var manage = new ManageRegistrationPage(page);
        await Expect(manage.Status).ToHaveTextAsync("Confirmed");
        await Expect(page.Locator(".facts dd.payment")).ToHaveTextAsync("Paid $25.00");
        await Expect(manage.Notice).ToContainTextAsync("Thank you");
    }
}
