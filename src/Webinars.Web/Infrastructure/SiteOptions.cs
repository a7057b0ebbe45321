using System.ComponentModel.DataAnnotations;

namespace Webinars.Infrastructure;

/// <summary>Section <c>Site</c>: the public address used in links in emails, feeds and calendars.</summary>
public sealed class SiteOptions
{
    public const string Section = "Site";

    [Required]
    public string BaseUrl { get; set; } = "http://localhost:5080";

    public string Link(string path) => BaseUrl.TrimEnd('/') + path;
}
