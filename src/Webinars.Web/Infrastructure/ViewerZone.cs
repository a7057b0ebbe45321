using NodaTime;
using Webinars.Time;

namespace Webinars.Infrastructure;

/// <summary>
/// The reader's zone for pages: <c>?tz=</c> first, then the <c>tz</c> cookie that the browser script sets; under its
/// current name (browsers still report some old ones, such as Asia/Calcutta).
/// </summary>
public static class ViewerZone
{
    public const string Cookie = "tz";

    public static DateTimeZone? From(HttpContext context)
    {
        var fromQuery = HostTime.FindCurrentZone(context.Request.Query["tz"].ToString());
        if (fromQuery is not null)
        {
            context.Response.Cookies.Append(Cookie, fromQuery.Id, new CookieOptions { SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
            return fromQuery;
        }

        return HostTime.FindCurrentZone(context.Request.Cookies[Cookie]);
    }
}
