using Microsoft.Playwright;
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

    [Fact]
    public async Task TicketTypes_ChooseStudentOnAPhone_CheckoutChargesTheStudentPrice()
    {
        var staff = await app.CreateStaffClientAsync();
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff), $"Types {Guid.NewGuid():N}"[..20], "2027-01-13T09:00:00");
        body["capacity"] = 10;
        body["price"] = new { amount = 2500, currency = "USD" };
        var slug = await TestData.CreateWebinarAsync(staff, body);
        await Tickets.SetAsync(staff, slug, "standard", "Standard", 2500, 6);
        await Tickets.SetAsync(staff, slug, "student", "Student", 1000, 4);

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await new WebinarPage(page).GotoAsync(slug);
        var form = new RegistrationFormPart(page);
        var student = form.Section.GetByRole(AriaRole.Radio, new() { Name = "Student — $10.00 · 4 seats left" });
        await Expect(form.Section.GetByRole(AriaRole.Group, new() { Name = "Ticket type *" })).ToBeVisibleAsync();
        await form.FillAsync("Grace Hopper", $"student-{Guid.NewGuid():N}@example.org", "Navy");
        await student.CheckAsync();
        await FormPosts.ExpectRedirectAsync(page, form.SubmitAsync, $"{app.Stripe.BaseUrl}/checkout/**");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Fake Stripe Checkout");
        var sessionId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        Assert.Equal(1000, (long)app.Stripe.Sessions.Single(s => (string)s["id"]! == sessionId)["amount_total"]!);
    }
}
