using Microsoft.AspNetCore.DataProtection;

namespace Webinars.Pages.Registrations;

/// <summary>
/// The address a registration's link went to, carried from the form to the confirmation page (and its "send again")
/// encrypted and for a day only: the page shows it masked, and the address itself never appears in a URL.
/// </summary>
public sealed class RegisteredAddress(IDataProtectionProvider protection)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);
    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("Webinars.Registrations.ConfirmedAddress.v1").ToTimeLimitedDataProtector();

    /// <summary>Ties the address to the webinar, so a value from one confirmation page cannot resend another's link.</summary>
    public string Protect(string slug, string email) => _protector.Protect($"{slug}\n{email}", Lifetime);

    /// <summary>The address, or null when the value is not ours, is for another webinar, or is older than a day.</summary>
    public string? Unprotect(string slug, string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        try
        {
            var parts = _protector.Unprotect(value).Split('\n', 2);
            return parts.Length == 2 && parts[0] == slug ? parts[1] : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
