using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Webinars.Registrations;

/// <summary>
/// Registration access tokens: 256 random bits, base64url (43 characters). The registration keeps only the SHA-256;
/// the token itself exists only in the attendee's email (and its outbox row).
/// </summary>
public static class AccessTokens
{
    /// <summary>Room for the token in an outbox row.</summary>
    public const int MaxLength = 64;

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
