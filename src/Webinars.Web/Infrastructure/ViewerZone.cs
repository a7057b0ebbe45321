using NodaTime;
using Webinars.Time;

namespace Webinars.Infrastructure;

/// <summary>The reader's zone for pages: <c>?tz=</c> first, then the <c>tz</c> cookie that the browser script sets.</summary>
public static class ViewerZone
{
    public const string Cookie = "tz";

    public static DateTimeZone? From(HttpContext context)
    {
        var fromQuery = HostTime.FindZone(context.Request.Query["tz"].ToString());
        if (fromQuery is not null)
        {
            context.Response.Cookies.Append(Cookie, fromQuery.Id, new CookieOptions { SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
            return fromQuery;
        }

        return HostTime.FindZone(context.Request.Cookies[Cookie]);
    }
}
