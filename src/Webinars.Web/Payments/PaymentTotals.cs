using Microsoft.EntityFrameworkCore;
using Webinars.Data;
using Webinars.Webinars;

namespace Webinars.Payments;

/// <summary>What a webinar has taken: paid, refunded, net, and how many seats are held by people paying now.</summary>
public sealed record PaymentTotals(string? Currency, long Paid, long Refunded, long Net, int PaidCount, int RefundedCount, int Holding, string Text)
{
    public static async Task<PaymentTotals> ForAsync(WebinarsDbContext db, Webinar webinar, CancellationToken ct)
    {
        var rows = await db.Payments().AsNoTracking().Where(p => p.WebinarId == webinar.Id)
            .Select(p => new { p.State, p.AmountPaid, p.AmountRefunded, p.Currency }).ToListAsync(ct);
        var currency = webinar.PriceCurrency ?? rows.Select(r => r.Currency).FirstOrDefault();
        var paid = rows.Sum(r => r.AmountPaid);
        var refunded = rows.Sum(r => r.AmountRefunded);
        var text = currency is null ? "Free webinar"
            : $"Paid {Money.Text(paid, currency)}, refunded {Money.Text(refunded, currency)}, net {Money.Text(paid - refunded, currency)}";
        return new PaymentTotals(currency, paid, refunded, paid - refunded,
            rows.Count(r => r.AmountPaid > 0), rows.Count(r => r.State == PaymentState.Refunded),
            rows.Count(r => PaymentTransitions.Holds(r.State)), text);
    }
}
