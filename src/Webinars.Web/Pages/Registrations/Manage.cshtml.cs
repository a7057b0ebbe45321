using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;
using Microsoft.EntityFrameworkCore;
using Webinars.Data;
using Webinars.Payments;
using Webinars.Registrations;
using Webinars.Time;
using Webinars.Webinars;

namespace Webinars.Pages.Registrations;

/// <summary>"Manage my registration": reached through the magic link's cookie; the token is never in this URL.</summary>
public sealed class ManageModel(WebinarsDbContext db, AttendeeCookies cookies, RegistrationService service, PaymentService payments, RefundTerms terms, IClock clock) : PageModel
{
    private static readonly ZonedDateTimePattern CutoffPattern = ZonedDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm x", null);

    /// <summary>For a paid registration with money to give back: whether cancelling now refunds it, and until when it does.</summary>
    public (bool Refundable, string Until, string Amount)? Refund { get; private set; }

    public Payment? Payment { get; private set; }
    public string? PaymentError { get; private set; }

    public WebinarView Webinar { get; private set; } = null!;
    public Registration? Registration { get; private set; }
    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, string? notice, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct)) return NotFound();
        Notice = notice switch
        {
            "cancelled" => "Your registration is cancelled.",
            "sent" => "We emailed you a new link. The link you have keeps working until you open the new one.",
            "paid" => "Thank you: your payment is being confirmed. This page shows “Confirmed” as soon as Stripe tells us (usually within seconds; reload to check).",
            "payment-cancelled" => "You left the checkout page without paying. Your seat is held until the time shown below; pay to keep it.",
            _ => null,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(string slug, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct)) return NotFound();
        if (Registration is null) return Page();
        await service.CancelAsync(Registration.Id, actor: null, ct);
        return RedirectToPage(new { slug, notice = "cancelled" });
    }

    public async Task<IActionResult> OnPostPayAsync(string slug, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct)) return NotFound();
        if (Registration is null) return Page();
        var webinar = await RegistrationRules.FindAnnouncedAsync(db, slug, ct);
        var outcome = await payments.CheckoutForAsync(webinar!, Registration.Id, ct);
        if (outcome.CheckoutUrl is { } url) return Redirect(url);
        PaymentError = outcome.Problem;
        if (outcome.ProblemStatus == StatusCodes.Status503ServiceUnavailable) Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return Page();
    }

    public async Task<IActionResult> OnPostSendLinkAsync(string slug, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct)) return NotFound();
        if (Registration is null) return Page();
        await service.ResendLinkAsync(Registration, actor: null, ct);
        return RedirectToPage(new { slug, notice = "sent" }); // the new link signs in again
    }

    /// <summary>How the payment reads to the attendee, amounts in their own format.</summary>
    public static string PaymentText(Payment pay, System.Globalization.CultureInfo culture) => pay.State switch
    {
        PaymentState.Paid when pay.AmountRefunded > 0 => $"Paid {Money.Format(pay.AmountPaid, pay.Currency, culture)}, refunded {Money.Format(pay.AmountRefunded, pay.Currency, culture)}",
        PaymentState.Paid => $"Paid {Money.Format(pay.AmountPaid, pay.Currency, culture)}",
        PaymentState.Refunded => $"Refunded {Money.Format(pay.AmountRefunded, pay.Currency, culture)}",
        PaymentState.RefundDue => "Refund on its way",
        PaymentState.Processing => "Payment processing",
        PaymentState.Expired => "Not paid (the checkout ended)",
        _ => "Waiting for your payment",
    };

    /// <summary>What the cancel button asks before it cancels: with a payment, whether the money comes back.</summary>
    public string CancelQuestion => Refund switch
    {
        { Refundable: true } r => $"Cancel your registration? You get your {r.Amount} back in full; your seat goes to the next person on the waitlist.",
        { } r => $"Cancel your registration? Refunds ended {r.Until}: you will not get your {r.Amount} back.",
        null => "Cancel your registration? Your seat goes to the next person on the waitlist.",
    };

    /// <summary>How a registration status reads to the attendee.</summary>
    public static string StatusText(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Waitlisted => "On the waitlist",
        RegistrationStatus.PendingApproval => "Pending approval",
        RegistrationStatus.PendingPayment => "Pending payment",
        _ => status.ToString(),
    };

    private async Task<bool> LoadAsync(string slug, CancellationToken ct)
    {
        var webinar = await RegistrationRules.FindPublicAsync(db, slug, ct);
        if (webinar is null) return false;
        Registration = await cookies.FindAsync(HttpContext, db, webinar, ct);
        Payment = Registration is null ? null : await db.Payments().AsNoTracking().FirstOrDefaultAsync(p => p.RegistrationId == Registration.Id, ct);
        var zone = Registration is null ? null : HostTime.FindCurrentZone(Registration.TimeZoneId);
        if (Payment is { State: PaymentState.Paid } paid && paid.AmountPaid > paid.AmountRefunded)
        {
            var until = (await terms.ForAsync(webinar, ct)).RefundsUntil;
            Refund = (clock.GetCurrentInstant() < until, CutoffPattern.Format(until.InZone(zone ?? DateTimeZone.Utc)),
                Money.Format(paid.AmountPaid - paid.AmountRefunded, paid.Currency, Money.ReaderCulture(HttpContext)));
        }

        Webinar = WebinarView.From(webinar, zone ?? Infrastructure.ViewerZone.From(HttpContext));
        return true;
    }
}
