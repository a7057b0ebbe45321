namespace Webinars.Caching;

/// <summary>
/// Marks a page or endpoint anonymous readers hit by the thousand (announcement, lists, JSON, feeds, calendars): it is
/// rendered once per variant and kept (<see cref="ReadCachePolicy"/>), answered with an ETag and 304s, compressed and
/// marked for proxies (<see cref="ConditionalGet"/>). Signed-in callers always get a fresh, private response.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PublicReadAttribute : Attribute;

/// <summary>The tags kept responses carry, so a change evicts exactly what shows it.</summary>
public static class ReadTags
{
    /// <summary>Every kept response (a topic's name shows on all of them).</summary>
    public const string All = "reads";

    /// <summary>Everything not about one webinar: home page, topic pages, lists, feeds, topic calendars.</summary>
    public const string Listings = "listings";

    private const string WebinarItem = "read-cache.webinar";

    public static string Webinar(Guid id) => $"webinar:{id:N}";

    /// <summary>Says that this response shows one webinar (its page, JSON or .ics), so its changes evict it.</summary>
    public static void Shows(HttpContext context, Guid webinarId) => context.Items[WebinarItem] = webinarId;

    internal static Guid? Shown(HttpContext context) => context.Items.TryGetValue(WebinarItem, out var id) ? id as Guid? : null;

    /// <summary>What a change to a webinar (its schedule, text, seats, recording, recap) evicts.</summary>
    public static string[] ForWebinar(Guid id) => [Webinar(id), Listings];

    public static RouteHandlerBuilder PublicRead(this RouteHandlerBuilder builder) => builder.WithMetadata(new PublicReadAttribute());
}
