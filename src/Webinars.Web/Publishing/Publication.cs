using NodaTime;
using Webinars.Infrastructure;

namespace Webinars.Publishing;

/// <summary>
/// What a webinar has after it took place: its recording and its recap. Owned by the webinar (its own table, loaded with
/// it), so every page and endpoint that shows a webinar has it at hand.
/// </summary>
public sealed class Publication
{
    public const int MaxRecapLength = 60000;

    public string? VideoId { get; set; }
    /// <summary>Seconds from the webinar's start to the video's start (positive when recording began late).</summary>
    public int VideoOffsetSeconds { get; set; }

    /// <summary>What the YouTube API said about the video, when it is configured.</summary>
    public string? VideoTitle { get; set; }
    public long? VideoDurationSeconds { get; set; }
    public string? VideoThumbnailUrl { get; set; }
    public string? VideoPrivacy { get; set; }
    public string? VideoProcessing { get; set; }

    public string RecapMarkdown { get; set; } = "";
    /// <summary>Sanitised when saved, never when shown.</summary>
    public string RecapHtml { get; set; } = "";
    /// <summary>The number of the latest recap revision (0: none yet); a concurrency token, so two editors cannot both win.</summary>
    public int RecapRevision { get; set; }
    public Instant? RecapEditedAt { get; set; }
    public string? RecapEditedBy { get; set; }

    public Instant? PublishedAt { get; set; }
    /// <summary>Set when the recap is edited after it was published: the page shows "updated".</summary>
    public Instant? RecapUpdatedAt { get; set; }

    public bool IsPublished => PublishedAt is not null;
}

/// <summary>One saved version of a recap: who wrote it and when.</summary>
public sealed class RecapRevision
{
    public Guid Id { get; set; } = Ids.NewV7();
    public Guid WebinarId { get; set; }
    public int Number { get; set; }
    public required string Markdown { get; set; }
    public required string Html { get; set; }
    public required string EditedBy { get; set; }
    public Instant EditedAt { get; set; }
}
