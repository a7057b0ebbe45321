using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Infrastructure;

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

/// <summary>
/// Password sign-in for the page and the API alike. Identity's own lockout is off: it locks an account for everyone,
/// so anyone knowing a staff address could keep its owner out. Instead, failures lock out the (address, account)
/// pair that made them. Counts live in this instance's memory: behind several instances an attacker gets one budget
/// per instance, still a bounded number of guesses.
/// </summary>
public sealed class SignInThrottle(IClock clock, IOptions<SignInLimitsOptions> options)
{
    private const int MaxTracked = 100_000;
    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    public async Task<SignInOutcome> PasswordSignInAsync(SignInManager<StaffUser> signIn, HttpContext context, string email, string password)
    {
        var limits = options.Value;
        var now = clock.GetCurrentInstant();
        var account = email.Trim().ToUpperInvariant();
        var pairKey = ProxyTrust.ClientKey(context) + "|" + account;
        var accountKey = "*|" + account;
        var pair = Current(pairKey, now);
        if (pair >= limits.FailuresBeforeLockout || (pair > 0 && Current(accountKey, now) >= limits.AccountFailuresBeforeLockout))
        {
            return SignInOutcome.Throttled;
        }

        var result = await signIn.PasswordSignInAsync(email.Trim(), password, isPersistent: false, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            _failures.TryRemove(pairKey, out _);
            return SignInOutcome.Succeeded;
        }

        Count(pairKey, now);
        Count(accountKey, now);
        return SignInOutcome.Failed;
    }

    public string ThrottledMessage => $"Too many failed attempts for this account from your network; try again in {options.Value.LockoutMinutes} minutes.";

    private Duration Window => Duration.FromMinutes(options.Value.LockoutMinutes);

    private int Current(string key, Instant now) =>
        _failures.TryGetValue(key, out var f) && now - f.Last < Window ? f.Count : 0;

    private void Count(string key, Instant now)
    {
        if (_failures.Count >= MaxTracked) Prune(now);
        // A failure within the window adds to the count and extends it; after a quiet window it starts again.
        _failures.AddOrUpdate(key, _ => new Failures(1, now), (_, f) => new Failures(now - f.Last < Window ? f.Count + 1 : 1, now));
    }

    private void Prune(Instant now)
    {
        foreach (var (key, f) in _failures)
        {
            if (now - f.Last >= Window) _failures.TryRemove(key, out _);
        }
    }

    private sealed record Failures(int Count, Instant Last);
}
