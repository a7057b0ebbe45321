namespace Webinars.Registrations;

/// <summary>
/// An address as a page may show it to whoever typed it: the first character of the local part and the whole domain
/// ("j•••@example.org"), enough to notice a typo without showing the address to someone looking over a shoulder.
/// </summary>
public static class MaskedEmail
{
    public const string Dots = "\u2022\u2022\u2022";

    public static string Mask(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var at = email.LastIndexOf('@');
        if (at <= 0) return Dots;
        // A surrogate pair stays whole, so the first character is never cut in half.
        var first = char.IsHighSurrogate(email[0]) && at > 1 ? email[..2] : email[..1];
        return first + Dots + email[at..];
    }
}
