using System.Security.Claims;

namespace Webinars.Accounts;

/// <summary>Who did it, as the audit trail records it: the signed-in account's name (its email).</summary>
public static class Actors
{
    public const string Unknown = "unknown";

    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? Unknown;
}
