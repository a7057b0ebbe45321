using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using NodaTime;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Pages.Registrations;

[EnableRateLimiting(RegistrationRateLimits.Register)]
public sealed class RegisterModel(
    WebinarsDbContext db, RegistrationService service, IPaidCheckout paid, AttendeeCookies cookies, IClock clock, ILogger<RegisterModel> logger) : PageModel
{
    public WebinarView Webinar { get; private set; } = null!;
    public RegistrationForm Form { get; private set; } = null!;
    public RegistrationStatus? Done { get; private set; }
    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, string? done, CancellationToken ct)
    {
        var webinar = await RegistrationRules.FindPublicAsync(db, slug, ct);
        if (webinar is null) return NotFound();
        Webinar = WebinarView.From(webinar, ViewerZone.From(HttpContext));
        Form = await RegistrationForm.LoadAsync(db, webinar, Webinar, clock.GetCurrentInstant(), ct);
        if (Enum.TryParse<RegistrationStatus>(done, out var status) && !int.TryParse(done, out _)) Done = status;
        return Page();
    }

    /// <summary>
    /// The registration card the (kept) announcement page loads for this device, never kept itself: the form with this
    /// reader's antiforgery token and zone, or — once the device opened its link — its registration.
    /// </summary>
    public async Task<IActionResult> OnGetCardAsync(string slug, CancellationToken ct)
    {
        var webinar = await RegistrationRules.FindPublicAsync(db, slug, ct);
        if (webinar is null) return NotFound();
        Webinar = WebinarView.From(webinar, ViewerZone.From(HttpContext));
        var mine = await cookies.FindAsync(HttpContext, db, webinar, ct);
        Form = await RegistrationForm.LoadAsync(db, webinar, Webinar, clock.GetCurrentInstant(), ct) with
        {
            Card = RegistrationCard.Fragment,
            Registered = mine is not null && RegistrationForm.Holds(mine.Status) ? mine.Status : null,
        };
        Response.Headers.CacheControl = "private, no-store";
        return Partial("/Pages/Registrations/_RegistrationForm.cshtml", Form);
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        var webinar = await RegistrationRules.FindPublicAsync(db, slug, ct);
        if (webinar is null) return NotFound();
        Webinar = WebinarView.From(webinar, ViewerZone.From(HttpContext));
        Form = await RegistrationForm.LoadAsync(db, webinar, Webinar, clock.GetCurrentInstant(), ct);
        var form = Request.Form;
        var wouldBe = webinar.RequiresApproval ? RegistrationStatus.PendingApproval : webinar.SeatsLeft == 0 ? RegistrationStatus.Waitlisted : RegistrationStatus.Confirmed;
        if (!string.IsNullOrEmpty(form["Website"]))
        {
            logger.LogInformation("Honeypot filled on {Slug}; nothing stored", slug);
            return RedirectToPage(new { slug, done = wouldBe.ToString() }); // a bot sees what a person would
        }

        var questions = Form.Questions;
        var errors = new FieldErrors();
        var request = new RegistrationRequest(form["Name"], form["Email"], form["Organization"], form["TimeZone"], RegistrationFormState.Answers(form, questions));
        var input = RegistrationValidation.Validate(request, questions, errors);
        if (input is null)
        {
            ViewData[RegistrationFormState.Key] = new RegistrationFormState(form, errors.ToDictionary());
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Refusal = Form.Refusal;
        if (Refusal is not null) return Page();
        if (!webinar.IsFree) return await RegisterPaidAsync(webinar, input, ct);
        RegistrationStatus? status;
        try
        {
            status = await service.RegisterAsync(webinar, input, ct);
        }
        catch (WebinarChangedException)
        {
            Refusal = "The webinar was being changed while you registered; nothing was saved. Please check it and submit again.";
            return Page();
        }

        if (status is null)
        {
            Refusal = "The webinar is full.";
            return Page();
        }

        return RedirectToPage(new { slug, done = status.Value.ToString() });
    }

    /// <summary>A held seat sends the browser to Stripe's Checkout page, signed in, so it comes back to its manage page.</summary>
    private async Task<IActionResult> RegisterPaidAsync(Webinar webinar, NewRegistration input, CancellationToken ct)
    {
        var outcome = await paid.RegisterAsync(webinar, input, ct);
        if (outcome.Status is not { } status)
        {
            Refusal = outcome.Problem;
            if (outcome.ProblemStatus == StatusCodes.Status503ServiceUnavailable) Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }

        if (outcome.Created is { } created) cookies.SignIn(HttpContext, created);
        return outcome.CheckoutUrl is { } url ? Redirect(url) : RedirectToPage(new { slug = webinar.Slug, done = status.ToString() });
    }
}
