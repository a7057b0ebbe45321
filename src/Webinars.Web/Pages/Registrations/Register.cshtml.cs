using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Payments;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Pages.Registrations;

[EnableRateLimiting(RegistrationRateLimits.Register)]
public sealed class RegisterModel(
    WebinarsDbContext db, RegistrationService service, IPaidCheckout paid, AttendeeCookies cookies, IClock clock, IDataProtectionProvider protection,
    ILogger<RegisterModel> logger) : PageModel
{
    /// <summary>The answer to an email registered already: it names no status, since the person's may differ from a newcomer's.</summary>
    public const string Sent = "Sent";

    private readonly RegisteredAddress _addresses = new(protection);

    public WebinarView Webinar { get; private set; } = null!;
    public RegistrationForm Form { get; private set; } = null!;
    public RegistrationStatus? Done { get; private set; }

    /// <summary>A repeat registration or "send again": the link went out if the address can register.</summary>
    public bool Neutral { get; private set; }

    /// <summary>"j•••@example.org", when the confirmation knows the address.</summary>
    public string? MaskedAddress { get; private set; }

    /// <summary>The encrypted address for "send again".</summary>
    public string? AddressTicket { get; private set; }

    public bool SentAgain { get; private set; }
    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, string? done, string? to, bool again, CancellationToken ct)
    {
        var webinar = await RegistrationRules.FindPublicAsync(db, slug, ct);
        if (webinar is null) return NotFound();
        Webinar = WebinarView.From(webinar, ViewerZone.From(HttpContext));
        Form = await RegistrationForm.LoadAsync(db, webinar, Webinar, clock.GetCurrentInstant(), ct);
        if (done == Sent) Neutral = true;
        else if (Enum.TryParse<RegistrationStatus>(done, out var status) && !int.TryParse(done, out _)) Done = status;
        if ((Neutral || Done is not null) && _addresses.Unprotect(slug, to) is { } email)
        {
            MaskedAddress = MaskedEmail.Mask(email);
            AddressTicket = to;
            SentAgain = again;
        }

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

    /// <summary>"Send again" on the confirmation page: a new link beside the working one, answered as neutrally as a repeat.</summary>
    public async Task<IActionResult> OnPostSendAgainAsync(string slug, string? to, CancellationToken ct)
    {
        var webinar = await RegistrationRules.FindAnnouncedAsync(db, slug, ct);
        if (webinar is null) return NotFound();
        if (_addresses.Unprotect(slug, to) is not { } email) return RedirectToPage(new { slug }); // expired: the form again
        var registration = await db.Registrations.FirstOrDefaultAsync(r => r.WebinarId == webinar.Id && r.Email == email, ct);
        if (registration is not null) await service.ResendLinkAsync(registration, actor: null, ct);
        return RedirectToPage(new { slug, done = Sent, to, again = true });
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
            return RedirectToPage(new { slug, done = wouldBe.ToString(), to = _addresses.Protect(slug, form["Email"].ToString()) }); // a bot sees what a person would
        }

        var questions = Form.Questions;
        var errors = new FieldErrors();
        var request = new RegistrationRequest(form["Name"], form["Email"], form["Organization"], form["TimeZone"], RegistrationFormState.Answers(form, questions), form["TicketType"]);
        var input = RegistrationValidation.Validate(request, questions, errors);
        var ticket = webinar.IsFree ? null : await TicketTypes.ChooseAsync(db, webinar, request.TicketType, errors, ct, loaded: webinar.TicketTypes);
        if (input is null || errors.Any)
        {
            ViewData[RegistrationFormState.Key] = new RegistrationFormState(form, errors.ToDictionary());
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Refusal = Form.Refusal;
        if (Refusal is not null) return Page();
        if (!webinar.IsFree) return await RegisterPaidAsync(webinar, input with { TicketTypeId = ticket?.Id }, ct);
        RegistrationResult result;
        try
        {
            result = await service.RegisterOrRepeatAsync(webinar, input, ct);
        }
        catch (WebinarChangedException)
        {
            Refusal = "The webinar was being changed while you registered; nothing was saved. Please check it and submit again.";
            return Page();
        }

        // A repeat never hears "full" or "waitlist": those describe a newcomer, not the person already registered.
        if (result.Repeat) return RedirectToPage(new { slug, done = Sent, to = _addresses.Protect(slug, input.Email) });
        if (result.Status is not { } status)
        {
            Refusal = "The webinar is full.";
            return Page();
        }

        return RedirectToPage(new { slug, done = status.ToString(), to = _addresses.Protect(slug, input.Email) });
    }

    /// <summary>A held seat sends the browser to Stripe's Checkout page, signed in, so it comes back to its manage page.</summary>
    private async Task<IActionResult> RegisterPaidAsync(Webinar webinar, NewRegistration input, CancellationToken ct)
    {
        var outcome = await paid.RegisterAsync(webinar, input, ct);
        if (outcome is { Repeat: true, CheckoutUrl: null })
        {
            return RedirectToPage(new { slug = webinar.Slug, done = Sent, to = _addresses.Protect(webinar.Slug, input.Email) });
        }

        if (outcome.Status is not { } status)
        {
            Refusal = outcome.Problem;
            if (outcome.ProblemStatus == StatusCodes.Status503ServiceUnavailable) Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }

        if (outcome.Created is { } created) cookies.SignIn(HttpContext, created);
        return outcome.CheckoutUrl is { } url ? Redirect(url)
            : RedirectToPage(new { slug = webinar.Slug, done = status.ToString(), to = _addresses.Protect(webinar.Slug, input.Email) });
    }
}
