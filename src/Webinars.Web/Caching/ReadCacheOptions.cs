using System.ComponentModel.DataAnnotations;

namespace Webinars.Caching;

/// <summary>Section <c>ReadCache</c>: how long anonymous reads are kept here and in a proxy or CDN in front.</summary>
public sealed class ReadCacheOptions
{
    public const string Section = "ReadCache";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The longest a rendered read is kept by this instance. Every change evicts at once (on every instance with Redis);
    /// this bounds staleness only for several instances without Redis.
    /// </summary>
    [Range(1, 3600)]
    public int Seconds { get; set; } = 30;

    /// <summary><c>Cache-Control: public, max-age</c> of anonymous reads: how long a proxy, CDN or browser may hold them.</summary>
    [Range(0, 3600)]
    public int SharedSeconds { get; set; } = 5;
}
