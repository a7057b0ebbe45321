using Newtonsoft.Json;

namespace Webinars.Publishing;

// The subset of the YouTube Data API v3 resources we read and write, named as in the discovery document
// (shared/contracts/youtube-v3-subset.json), with Google's JSON serializer: swapping in the generated
// Google.Apis.YouTube.v3 types later changes the namespace, not the shape.

public sealed class VideoListResponse
{
    [JsonProperty("kind")] public string? Kind { get; set; }
    [JsonProperty("etag")] public string? ETag { get; set; }
    [JsonProperty("items")] public IList<Video>? Items { get; set; }
    [JsonProperty("pageInfo")] public PageInfo? PageInfo { get; set; }
}

public sealed class PageInfo
{
    [JsonProperty("totalResults")] public int? TotalResults { get; set; }
    [JsonProperty("resultsPerPage")] public int? ResultsPerPage { get; set; }
}

public sealed class Video
{
    [JsonProperty("kind")] public string? Kind { get; set; }
    [JsonProperty("etag")] public string? ETag { get; set; }
    [JsonProperty("id")] public string? Id { get; set; }
    [JsonProperty("snippet")] public VideoSnippet? Snippet { get; set; }
    [JsonProperty("contentDetails")] public VideoContentDetails? ContentDetails { get; set; }
    [JsonProperty("status")] public VideoStatus? Status { get; set; }
    [JsonProperty("processingDetails")] public VideoProcessingDetails? ProcessingDetails { get; set; }
}

public sealed class VideoSnippet
{
    [JsonProperty("title")] public string? Title { get; set; }
    [JsonProperty("description")] public string? Description { get; set; }
    [JsonProperty("categoryId")] public string? CategoryId { get; set; }
    [JsonProperty("channelId")] public string? ChannelId { get; set; }
    [JsonProperty("tags")] public IList<string>? Tags { get; set; }
    [JsonProperty("defaultLanguage")] public string? DefaultLanguage { get; set; }
    [JsonProperty("defaultAudioLanguage")] public string? DefaultAudioLanguage { get; set; }
    [JsonProperty("thumbnails")] public ThumbnailDetails? Thumbnails { get; set; }
}

public sealed class ThumbnailDetails
{
    [JsonProperty("default")] public Thumbnail? Default { get; set; }
    [JsonProperty("medium")] public Thumbnail? Medium { get; set; }
    [JsonProperty("high")] public Thumbnail? High { get; set; }
    [JsonProperty("standard")] public Thumbnail? Standard { get; set; }
    [JsonProperty("maxres")] public Thumbnail? Maxres { get; set; }
}

public sealed class Thumbnail
{
    [JsonProperty("url")] public string? Url { get; set; }
    [JsonProperty("width")] public long? Width { get; set; }
    [JsonProperty("height")] public long? Height { get; set; }
}

public sealed class VideoContentDetails
{
    /// <summary>ISO 8601, e.g. "PT1H2M3S".</summary>
    [JsonProperty("duration")] public string? Duration { get; set; }
}

public sealed class VideoStatus
{
    /// <summary>private | public | unlisted.</summary>
    [JsonProperty("privacyStatus")] public string? PrivacyStatus { get; set; }
    [JsonProperty("uploadStatus")] public string? UploadStatus { get; set; }
    [JsonProperty("embeddable")] public bool? Embeddable { get; set; }
    // Mutable properties that videos.update would clear if they were not sent back as read.
    [JsonProperty("license")] public string? License { get; set; }
    [JsonProperty("publicStatsViewable")] public bool? PublicStatsViewable { get; set; }
    [JsonProperty("selfDeclaredMadeForKids")] public bool? SelfDeclaredMadeForKids { get; set; }
    [JsonProperty("publishAt")] public string? PublishAt { get; set; }
}

public sealed class VideoProcessingDetails
{
    /// <summary>processing | succeeded | failed | terminated.</summary>
    [JsonProperty("processingStatus")] public string? ProcessingStatus { get; set; }
}

public sealed class PlaylistItem
{
    [JsonProperty("kind")] public string? Kind { get; set; }
    [JsonProperty("etag")] public string? ETag { get; set; }
    [JsonProperty("id")] public string? Id { get; set; }
    [JsonProperty("snippet")] public PlaylistItemSnippet? Snippet { get; set; }
}

public sealed class PlaylistItemSnippet
{
    [JsonProperty("playlistId")] public string? PlaylistId { get; set; }
    [JsonProperty("resourceId")] public ResourceId? ResourceId { get; set; }
    [JsonProperty("title")] public string? Title { get; set; }
    [JsonProperty("position")] public long? Position { get; set; }
}

public sealed class ResourceId
{
    [JsonProperty("kind")] public string? Kind { get; set; }
    [JsonProperty("videoId")] public string? VideoId { get; set; }
}

public sealed class PlaylistItemListResponse
{
    [JsonProperty("kind")] public string? Kind { get; set; }
    [JsonProperty("etag")] public string? ETag { get; set; }
    [JsonProperty("items")] public IList<PlaylistItem>? Items { get; set; }
    [JsonProperty("pageInfo")] public PageInfo? PageInfo { get; set; }
}
