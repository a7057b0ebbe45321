using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webinars.Payments;

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> b)
    {
        b.HasKey(p => p.RegistrationId);
        b.HasOne(p => p.Registration).WithOne().HasForeignKey<Payment>(p => p.RegistrationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(p => p.SessionId).IsUnique();
        b.HasIndex(p => p.PaymentIntentId);
        b.HasIndex(p => new { p.State, p.HoldExpiresAt });
        b.HasIndex(p => p.WebinarId);
        b.Property(p => p.State).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
        b.Property(p => p.Currency).HasMaxLength(3);
        b.Property(p => p.SessionId).HasMaxLength(255);
        b.Property(p => p.CheckoutUrl).HasMaxLength(2000);
        b.Property(p => p.PaymentIntentId).HasMaxLength(255);
        b.Ignore(p => p.CheckoutKey);
    }
}

internal sealed class StripeEventConfiguration : IEntityTypeConfiguration<StripeEventRecord>
{
    public void Configure(EntityTypeBuilder<StripeEventRecord> b)
    {
        b.ToTable("StripeEvents");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).HasMaxLength(255);
        b.Property(e => e.Type).HasMaxLength(100);
    }
}
