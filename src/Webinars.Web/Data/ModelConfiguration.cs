using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webinars.Registrations;
using Webinars.Topics;
using Webinars.Webinars;

namespace Webinars.Data;

internal sealed class TopicConfiguration : IEntityTypeConfiguration<Topic>
{
    public void Configure(EntityTypeBuilder<Topic> b)
    {
        b.HasIndex(t => t.Slug).IsUnique();
        b.Property(t => t.Slug).HasMaxLength(Webinar.MaxSlugLength);
        b.Property(t => t.Name).HasMaxLength(Topic.MaxNameLength);
    }
}

internal sealed class WebinarConfiguration : IEntityTypeConfiguration<Webinar>
{
    public void Configure(EntityTypeBuilder<Webinar> b)
    {
        b.HasIndex(w => w.Slug).IsUnique();
        b.HasIndex(w => w.StartsAt);
        b.Property(w => w.Slug).HasMaxLength(Webinar.MaxSlugLength);
        b.Property(w => w.Title).HasMaxLength(Webinar.MaxTitleLength);
        b.Property(w => w.Summary).HasMaxLength(Webinar.MaxSummaryLength);
        b.Property(w => w.SummaryHtml).HasMaxLength(Webinar.MaxSummaryLength * 4);
        b.Property(w => w.HostZoneId).HasMaxLength(64);
        b.Property(w => w.PriceCurrency).HasMaxLength(3);
        b.Property(w => w.JoinUrl).HasMaxLength(Webinar.MaxJoinUrlLength);
        b.Property(w => w.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(w => w.Sequence).IsConcurrencyToken();
        b.Property(w => w.Version).IsConcurrencyToken();
        b.HasOne(w => w.Topic).WithMany().HasForeignKey(w => w.TopicId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(w => w.Speakers).WithOne().HasForeignKey(s => s.WebinarId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(w => w.Length);
        b.Ignore(w => w.SeatsLeft);
        b.Ignore(w => w.IsFree);
        b.Ignore(w => w.IsPublic);
    }
}

internal sealed class SpeakerConfiguration : IEntityTypeConfiguration<Speaker>
{
    public void Configure(EntityTypeBuilder<Speaker> b)
    {
        b.Property(s => s.Role).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.Name).HasMaxLength(Speaker.MaxNameLength);
        b.Property(s => s.Honorific).HasMaxLength(Speaker.MaxHonorificLength);
        b.Property(s => s.Affiliation).HasMaxLength(Speaker.MaxAffiliationLength);
        b.Ignore(s => s.DisplayName);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.HasIndex(a => a.At);
        b.Property(a => a.Actor).HasMaxLength(256);
        b.Property(a => a.Action).HasMaxLength(64);
        b.Property(a => a.Subject).HasMaxLength(256);
    }
}

internal sealed class RegistrationConfiguration : IEntityTypeConfiguration<Registration>
{
    public void Configure(EntityTypeBuilder<Registration> b)
    {
        b.HasIndex(r => new { r.WebinarId, r.Email }).IsUnique();
        b.HasIndex(r => r.AccessTokenHash).IsUnique();
        b.HasIndex(r => r.PendingAccessTokenHash).IsUnique();
        b.HasIndex(r => new { r.WebinarId, r.Status, r.CreatedAt });
        b.Property(r => r.Name).HasMaxLength(Registration.MaxNameLength);
        b.Property(r => r.Email).HasMaxLength(Registration.MaxEmailLength);
        b.Property(r => r.Organization).HasMaxLength(Registration.MaxOrganizationLength);
        b.Property(r => r.TimeZoneId).HasMaxLength(64);
        b.Property(r => r.AccessTokenHash).HasMaxLength(64);
        b.Property(r => r.PendingAccessTokenHash).HasMaxLength(64);
        b.Property(r => r.PaymentReference).HasMaxLength(200);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        b.HasOne(r => r.Webinar).WithMany().HasForeignKey(r => r.WebinarId).OnDelete(DeleteBehavior.Cascade);
    }
}
