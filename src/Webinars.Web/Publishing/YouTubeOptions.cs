namespace Webinars.Publishing;

/// <summary>Section <c>YouTube</c>. Without <see cref="CredentialsFile"/> the YouTube API steps are "not configured".</summary>
public sealed class YouTubeOptions
{
    public const string Section = "YouTube";

    /// <summary>The API's base address (tests point it at a local fake).</summary>
    public string ApiBase { get; set; } = YouTubeService.DefaultBaseUri;

    /// <summary>A service-account key or an authorized-user (OAuth refresh token) JSON file, as Google.Apis.Auth reads them.</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>Make an unlisted video public when the webinar is published.</summary>
    public bool MakePublic { get; set; }

    /// <summary>Append the recap's link to the video's description.</summary>
    public bool AppendRecapLink { get; set; } = true;

    /// <summary>Topic slug → YouTube playlist id: a published recording is added to its topic's playlist.</summary>
    public Dictionary<string, string> Playlists { get; set; } = [];

    /// <summary>One attempt's limit; a hung call is abandoned and retried.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry's delay; later ones double, with jitter.</summary>
    public double RetryDelaySeconds { get; set; } = 1;

    /// <summary>How often each instance looks for due YouTube steps.</summary>
    public double PollSeconds { get; set; } = 5;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(CredentialsFile);

    public bool IsValid => Uri.TryCreate(ApiBase, UriKind.Absolute, out _) && TimeoutSeconds > 0 && MaxRetries >= 0 && RetryDelaySeconds >= 0 && PollSeconds > 0;
}
