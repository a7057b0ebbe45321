using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Webinars.Registrations;

/// <summary>Registration access tokens: 256 random bits, base64url (43 characters); only the SHA-256 is stored.</summary>
public static class AccessTokens
{
    public static (string Token, string Hash) New()
    {
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    /// <summary>Lower-case hex SHA-256 (64 characters).</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Cheap shape check before touching the database.</summary>
    public static bool LooksValid(string? token) =>
        token is { Length: > 0 and <= Accounts.AccountsApi.MaxAttendeeTokenLength } &&
        token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
