namespace Webinars.Webinars;

public enum SpeakerRole
{
    Speaker,
    Moderator,
    Discussant,
}

public sealed class Speaker
{
    public const int MaxNameLength = 120;
    public const int MaxHonorificLength = 40;
    public const int MaxAffiliationLength = 300;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WebinarId { get; set; }
    public required string Name { get; set; }
    public string Honorific { get; set; } = "";
    public string Affiliation { get; set; } = "";
    public SpeakerRole Role { get; set; }
    public int Order { get; set; }

    public string DisplayName => string.IsNullOrEmpty(Honorific) ? Name : $"{Honorific} {Name}";
}
