using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Registrations;

namespace Webinars.Accounts;

/// <summary>Section <c>SignInLimits</c>: how staff sign-in (page and API) slows down password guessing.</summary>
public sealed class SignInLimitsOptions
{
    public const string Section = "SignInLimits";

    /// <summary>Sign-in attempts per minute from one address (an IPv6 /64), whatever the account.</summary>
    [Range(1, 10_000)]
    public int PerAddressPerMinute { get; set; } = 10;

    /// <summary>Wrong passwords from one address for one account before that address is locked out of that account.</summary>
    [Range(1, 1_000)]
    public int FailuresBeforeLockout { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>
    /// Wrong passwords for one account from all addresses within <see cref="LockoutMinutes"/>; beyond it, an address
    /// that has already failed for the account is refused, while a new address (the owner's) still gets its try.
    /// </summary>
    [Range(1, 100_000)]
    public int AccountFailuresBeforeLockout { get; set; } = 20;
}

public enum SignInOutcome { Succeeded, Failed, Throttled }

/// <summary>Recent wrong passwords for one key: an (address, account) pair, or "*|" and the account for all addresses.</summary>
public sealed class SignInFailure
{
    public const int MaxKeyLength = 400;

    public required string Key { get; set; }
    public int Count { get; set; }

    /// <summary>The latest failure; the count lapses <see cref="SignInLimitsOptions.LockoutMinutes"/> after it.</summary>
    public Instant Last { get; set; }
}

internal sealed class SignInFailureConfiguration : IEntityTypeConfiguration<SignInFailure>
{
    public void Configure(EntityTypeBuilder<SignInFailure> b)
    {
        b.ToTable("SignInFailures");
        b.HasKey(f => f.Key);
        b.Property(f => f.Key).HasMaxLength(SignInFailure.MaxKeyLength);
        b.HasIndex(f => f.Last);
    }
}

/// <summary>
/// Password sign-in for the page and the API alike. Identity's own lockout is off: it locks an account for everyone,
/// so anyone knowing a staff address could keep its owner out. Instead, failures lock out the (address, account)
/// pair that made them. The counts live in the database every instance shares, so several instances give an attacker
/// no more guesses than one (docs/decisions/0012-one-service-per-feature-and-shared-sign-in-limits.md).
/// </summary>
public sealed class SignInThrottle(IServiceScopeFactory scopes, IClock clock, IOptions<SignInLimitsOptions> options)
{
    private const int MaxInsertRaces = 3;

    public async Task<SignInOutcome> PasswordSignInAsync(SignInManager<StaffUser> signIn, HttpContext context, string email, string password)
    {
        var limits = options.Value;
        var account = email.Trim().ToUpperInvariant();
        var pairKey = Key(ProxyTrust.ClientKey(context) + "|" + account);
        var accountKey = Key("*|" + account);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        var failures = db.Set<SignInFailure>();
        var since = clock.GetCurrentInstant() - Window;
        var counts = await failures.AsNoTracking().Where(f => (f.Key == pairKey || f.Key == accountKey) && f.Last > since)
            .ToDictionaryAsync(f => f.Key, f => f.Count, context.RequestAborted);
        var pair = counts.GetValueOrDefault(pairKey);
        if (pair >= limits.FailuresBeforeLockout || (pair > 0 && counts.GetValueOrDefault(accountKey) >= limits.AccountFailuresBeforeLockout))
        {
            return SignInOutcome.Throttled;
        }

        var result = await signIn.PasswordSignInAsync(email.Trim(), password, isPersistent: false, lockoutOnFailure: false);
        // Counted even when the client has gone: a guesser must not escape the count by hanging up.
        if (result.Succeeded)
        {
            await failures.Where(f => f.Key == pairKey).ExecuteDeleteAsync(CancellationToken.None);
            return SignInOutcome.Succeeded;
        }

        var now = clock.GetCurrentInstant();
        await CountAsync(db, pairKey, now);
        await CountAsync(db, accountKey, now);
        await failures.Where(f => f.Last <= now - Window).ExecuteDeleteAsync(CancellationToken.None); // lapsed counts
        return SignInOutcome.Failed;
    }

    public string ThrottledMessage => $"Too many failed attempts for this account from your network; try again in {options.Value.LockoutMinutes} minutes.";

    private Duration Window => Duration.FromMinutes(options.Value.LockoutMinutes);

    /// <summary>
    /// One more failure, in one statement so that concurrent failures on several instances all count: within the window
    /// it adds to the count and extends the window; after a quiet window it starts again.
    /// </summary>
    private async Task CountAsync(WebinarsDbContext db, string key, Instant now)
    {
        var since = now - Window;
        for (var attempt = 1; ; attempt++)
        {
            var updated = await db.Set<SignInFailure>().Where(f => f.Key == key).ExecuteUpdateAsync(s => s
                .SetProperty(f => f.Count, f => f.Last > since ? f.Count + 1 : 1)
                .SetProperty(f => f.Last, now), CancellationToken.None);
            if (updated > 0) return;
            var first = db.Set<SignInFailure>().Add(new SignInFailure { Key = key, Count = 1, Last = now });
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                return;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && attempt < MaxInsertRaces)
            {
                first.State = EntityState.Detached; // another instance counted the first failure: add to it
            }
        }
    }

    /// <summary>Keys hold an address and an email (at most 254 characters); a longer one is cut, still one per account.</summary>
    private static string Key(string key) => key.Length <= SignInFailure.MaxKeyLength ? key : key[..SignInFailure.MaxKeyLength];
}
