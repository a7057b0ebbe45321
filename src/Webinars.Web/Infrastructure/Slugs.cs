using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Webinars.Infrastructure;

public static class Slugs
{
    /// <summary>"International Organizations &amp; COVID-19" → "international-organizations-covid-19".</summary>
    public static string From(string text, int maxLength = 80)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsAsciiLetterOrDigit(c)) builder.Append(char.ToLowerInvariant(c));
            else if (builder.Length > 0 && builder[^1] != '-') builder.Append('-');
            if (builder.Length >= maxLength) break;
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length == 0 ? "item" : slug;
    }

    /// <summary>
    /// Saves a new item whose slug came from <see cref="UniqueAsync"/>. When a concurrent request took the same slug
    /// between the check and the insert (the unique index says so), picks the next free one and saves again; after a
    /// few lost races (many items with one title at once) a random suffix ends the contention.
    /// </summary>
    public static async Task SaveAsync(
        DbContext db, string baseSlug, Func<string> current, Func<string, Task<bool>> taken, Action<string> rename, CancellationToken ct)
    {
        const int sequentialAttempts = 3, maxAttempts = 20;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt < maxAttempts)
            {
                if (!await taken(current())) throw;
                rename(attempt < sequentialAttempts
                    ? await UniqueAsync(baseSlug, taken)
                    : await UniqueAsync($"{baseSlug}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}", taken));
            }
        }
    }

    /// <summary>Appends -2, -3, … until <paramref name="taken"/> says the slug is free.</summary>
    public static async Task<string> UniqueAsync(string baseSlug, Func<string, Task<bool>> taken)
    {
        var slug = baseSlug;
        for (var n = 2; await taken(slug); n++) slug = $"{baseSlug}-{n}";
        return slug;
    }
}
