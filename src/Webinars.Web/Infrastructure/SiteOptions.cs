namespace Webinars.Infrastructure;

/// <summary>Section <c>Site</c>: the public address used in links in emails, feeds and calendars.</summary>
public sealed class SiteOptions
{
    public const string Section = "Site";

    /// <summary>Where a developer's own machine serves the app; used only in Development when nothing is set.</summary>
    public const string DevelopmentBaseUrl = "http://localhost:5080";

    public const string Unset =
        "Site:BaseUrl is not set. Outside Development it must be the public address readers use (e.g. https://webinars.example.org, "
        + "environment variable Site__BaseUrl): links in emails, feeds and calendars point there, and a guessed localhost would send readers nowhere.";

    public string BaseUrl { get; set; } = "";

    public string Link(string path) => BaseUrl.TrimEnd('/') + path;
}
