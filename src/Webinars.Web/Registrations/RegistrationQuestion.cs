using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webinars.Registrations;

public enum QuestionKind
{
    ShortText,
    LongText,
    SingleChoice,
    MultipleChoice,
    Consent,
}

/// <summary>A question staff add to a webinar's registration form.</summary>
public sealed class RegistrationQuestion
{
    public const int MaxLabelLength = 1000;
    public const int MaxOptionLength = 200;
    public const int MaxOptions = 30;
    public const int MaxQuestions = 30;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WebinarId { get; set; }
    public QuestionKind Kind { get; set; }
    /// <summary>The question; for <see cref="QuestionKind.Consent"/> the wording the attendee agrees to.</summary>
    public required string Label { get; set; }
    public bool Required { get; set; }
    public List<string> Options { get; set; } = [];
    public int Order { get; set; }

    public bool HasOptions => Kind is QuestionKind.SingleChoice or QuestionKind.MultipleChoice;
}

/// <summary>
/// One answer, with the question's wording as it was shown: a later edit of the question (or of a consent text)
/// never changes what an attendee agreed to.
/// </summary>
public sealed class RegistrationAnswer
{
    public const int MaxValueLength = 5000;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid RegistrationId { get; set; }
    public Guid QuestionId { get; set; }
    public QuestionKind Kind { get; set; }
    public required string Label { get; set; }
    /// <summary>The text, the chosen option, the chosen options joined with "; ", or "Yes" for a consent.</summary>
    public required string Value { get; set; }
    public int Order { get; set; }
}

internal sealed class RegistrationQuestionConfiguration : IEntityTypeConfiguration<RegistrationQuestion>
{
    public void Configure(EntityTypeBuilder<RegistrationQuestion> b)
    {
        b.ToTable("RegistrationQuestions");
        b.HasIndex(q => new { q.WebinarId, q.Order });
        b.Property(q => q.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(q => q.Label).HasMaxLength(RegistrationQuestion.MaxLabelLength);
        b.HasOne<Webinars.Webinar>().WithMany().HasForeignKey(q => q.WebinarId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(q => q.HasOptions);
    }
}

internal sealed class RegistrationAnswerConfiguration : IEntityTypeConfiguration<RegistrationAnswer>
{
    public void Configure(EntityTypeBuilder<RegistrationAnswer> b)
    {
        b.ToTable("RegistrationAnswers");
        b.HasIndex(a => a.RegistrationId);
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(a => a.Label).HasMaxLength(RegistrationQuestion.MaxLabelLength);
        b.Property(a => a.Value).HasMaxLength(RegistrationAnswer.MaxValueLength);
        // No foreign key to the question: answers outlive a question that staff remove.
        b.HasOne<Registration>().WithMany(r => r.Answers).HasForeignKey(a => a.RegistrationId).OnDelete(DeleteBehavior.Cascade);
    }
}
