using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Webinars;

namespace Webinars.Payments;

/// <summary>Staff's terms for one paid webinar. Without a row, <see cref="StripeOptions.RefundCutoffHours"/> applies.</summary>
public sealed class PaymentTerms
{
    public const int MaxRefundCutoffHours = 24 * 365;

    public Guid WebinarId { get; set; }
    /// <summary>A cancellation this many hours or more before the start is refunded in full; later ones are not (0: until the start).</summary>
    public int RefundCutoffHours { get; set; }
    public Instant UpdatedAt { get; set; }
}

/// <summary>A webinar's refund terms as the API shows them: <c>refundsUntil</c> is the last instant a cancellation is refunded.</summary>
public sealed record RefundTermsView(int RefundCutoffHours, Instant RefundsUntil, bool IsDefault);

public sealed record RefundTermsInput(int? RefundCutoffHours);

/// <summary>Reads and sets a webinar's refund cutoff; one place for the API, the staff page, the manage page and cancellation.</summary>
public sealed class RefundTerms(WebinarsDbContext db, IClock clock, IOptions<StripeOptions> options)
{
    public async Task<RefundTermsView> ForAsync(Webinar webinar, CancellationToken ct)
    {
        var hours = await db.Set<PaymentTerms>().AsNoTracking().Where(t => t.WebinarId == webinar.Id).Select(t => (int?)t.RefundCutoffHours).FirstOrDefaultAsync(ct);
        var cutoff = hours ?? options.Value.RefundCutoffHours;
        return new RefundTermsView(cutoff, webinar.StartsAt - Duration.FromHours(cutoff), hours is null);
    }

    /// <summary>True while a cancelling attendee still gets their money back.</summary>
    public async Task<bool> RefundableNowAsync(Webinar webinar, CancellationToken ct) =>
        clock.GetCurrentInstant() < (await ForAsync(webinar, ct)).RefundsUntil;

    /// <summary>Sets the cutoff; errors under <c>refundCutoffHours</c> change nothing.</summary>
    public async Task<RefundTermsView?> SetAsync(Webinar webinar, RefundTermsInput input, string actor, FieldErrors errors, CancellationToken ct)
    {
        if (webinar.IsFree) errors.Add("refundCutoffHours", "A free webinar takes no money, so it has no refund cutoff.");
        if (input.RefundCutoffHours is not (>= 0 and <= PaymentTerms.MaxRefundCutoffHours))
        {
            errors.Add("refundCutoffHours", $"Refund cutoff is required: whole hours before the start, between 0 (refunds until the start) and {PaymentTerms.MaxRefundCutoffHours}.");
        }

        if (errors.Any) return null;
        var hours = input.RefundCutoffHours!.Value;
        var now = clock.GetCurrentInstant();
        var terms = await db.Set<PaymentTerms>().FirstOrDefaultAsync(t => t.WebinarId == webinar.Id, ct);
        if (terms is null) db.Set<PaymentTerms>().Add(terms = new PaymentTerms { WebinarId = webinar.Id });
        terms.RefundCutoffHours = hours;
        terms.UpdatedAt = now;
        db.AuditEntries.Add(new AuditEntry { At = now, Actor = actor, Action = "payment.terms", Subject = webinar.Id.ToString(), Details = $"refunds until {hours} h before the start" });
        await db.SaveChangesAsync(ct);
        return await ForAsync(webinar, ct);
    }
}

internal sealed class PaymentTermsConfiguration : IEntityTypeConfiguration<PaymentTerms>
{
    public void Configure(EntityTypeBuilder<PaymentTerms> b)
    {
        b.HasKey(t => t.WebinarId);
        b.HasOne<Webinar>().WithOne().HasForeignKey<PaymentTerms>(t => t.WebinarId).OnDelete(DeleteBehavior.Cascade);
    }
}
