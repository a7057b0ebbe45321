namespace Webinars.Topics;

/// <summary>What the institute calls a program ("Strategic Trust-Building"); webinars and feeds hang off it.</summary>
public sealed class Topic
{
    public const int MaxNameLength = 120;
    public const int MaxDescriptionLength = 4000;

    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    /// <summary>The description as sanitised HTML, rendered when saved, never when shown.</summary>
    public string DescriptionHtml { get; set; } = "";
    public NodaTime.Instant CreatedAt { get; set; }
}
