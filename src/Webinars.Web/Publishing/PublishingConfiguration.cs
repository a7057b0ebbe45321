using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webinars.Webinars;

namespace Webinars.Publishing;

internal sealed class PublicationConfiguration : IEntityTypeConfiguration<Webinar>
{
    public void Configure(EntityTypeBuilder<Webinar> b) => b.OwnsOne(w => w.Publication, p =>
    {
        p.ToTable("Publications");
        p.WithOwner().HasForeignKey("WebinarId");
        p.Property(x => x.VideoId).HasMaxLength(11);
        p.Property(x => x.VideoTitle).HasMaxLength(200);
        p.Property(x => x.VideoThumbnailUrl).HasMaxLength(500);
        p.Property(x => x.VideoPrivacy).HasMaxLength(20);
        p.Property(x => x.VideoProcessing).HasMaxLength(20);
        p.Property(x => x.RecapMarkdown).HasMaxLength(Publication.MaxRecapLength);
        p.Property(x => x.RecapHtml).HasMaxLength(Publication.MaxRecapLength * 4);
        p.Property(x => x.RecapEditedBy).HasMaxLength(256);
        p.Property(x => x.RecapRevision).IsConcurrencyToken();
        p.Ignore(x => x.IsPublished);
    });
}

internal sealed class RecapRevisionConfiguration : IEntityTypeConfiguration<RecapRevision>
{
    public void Configure(EntityTypeBuilder<RecapRevision> b)
    {
        b.HasIndex(r => new { r.WebinarId, r.Number }).IsUnique();
        b.HasOne<Webinar>().WithMany().HasForeignKey(r => r.WebinarId).OnDelete(DeleteBehavior.Cascade);
        b.Property(r => r.Markdown).HasMaxLength(Publication.MaxRecapLength);
        b.Property(r => r.Html).HasMaxLength(Publication.MaxRecapLength * 4);
        b.Property(r => r.EditedBy).HasMaxLength(256);
    }
}

internal sealed class PublishingJobConfiguration : IEntityTypeConfiguration<PublishingJob>
{
    public void Configure(EntityTypeBuilder<PublishingJob> b)
    {
        // One row per step and webinar, enforced by the database: two instances publishing at once make one job.
        b.HasIndex(j => new { j.WebinarId, j.Step }).IsUnique();
        b.HasIndex(j => j.NextAttemptAt);
        b.HasOne<Webinar>().WithMany().HasForeignKey(j => j.WebinarId).OnDelete(DeleteBehavior.Cascade);
        b.Property(j => j.Step).HasConversion<string>().HasMaxLength(20);
        b.Property(j => j.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(j => j.LastError).HasMaxLength(PublishingJob.MaxErrorLength);
        b.Property(j => j.ClaimedBy).HasMaxLength(100);
    }
}
