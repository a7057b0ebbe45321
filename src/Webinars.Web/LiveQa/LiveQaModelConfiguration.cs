using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.LiveQa;

internal sealed class QuestionConfiguration : IEntityTypeConfiguration<Question>
{
    public void Configure(EntityTypeBuilder<Question> b)
    {
        // A retried Ask finds its question by this index; a racing retry loses on it.
        b.HasIndex(q => new { q.AuthorRegistrationId, q.ClientRequestId }).IsUnique();
        b.HasIndex(q => new { q.WebinarId, q.Status });
        b.HasIndex(q => q.MergedIntoId);
        b.Property(q => q.AuthorName).HasMaxLength(Registration.MaxNameLength);
        b.Property(q => q.Text).HasMaxLength(Question.MaxTextLength);
        b.Property(q => q.Answer).HasMaxLength(Question.MaxAnswerLength);
        b.Property(q => q.ClientRequestId).HasMaxLength(Question.MaxClientRequestIdLength);
        b.Property(q => q.Status).HasConversion<string>().HasMaxLength(20);
        b.HasOne<Webinar>().WithMany().HasForeignKey(q => q.WebinarId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Registration>().WithMany().HasForeignKey(q => q.AuthorRegistrationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Question>().WithMany().HasForeignKey(q => q.MergedIntoId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class QuestionVoteConfiguration : IEntityTypeConfiguration<QuestionVote>
{
    public void Configure(EntityTypeBuilder<QuestionVote> b)
    {
        // One vote per registration per question, enforced by the key itself.
        b.HasKey(v => new { v.QuestionId, v.RegistrationId });
        b.HasIndex(v => v.RegistrationId);
        b.HasOne<Question>().WithMany().HasForeignKey(v => v.QuestionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Registration>().WithMany().HasForeignKey(v => v.RegistrationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AttendanceConfiguration : IEntityTypeConfiguration<Attendance>
{
    public void Configure(EntityTypeBuilder<Attendance> b)
    {
        b.HasIndex(a => a.RegistrationId).IsUnique();
        b.HasIndex(a => new { a.WebinarId, a.LastSeenAt });
        b.HasOne<Webinar>().WithMany().HasForeignKey(a => a.WebinarId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Registration>().WithMany().HasForeignKey(a => a.RegistrationId).OnDelete(DeleteBehavior.Cascade);
    }
}
