using Microsoft.AspNetCore.Identity;

namespace Webinars.Accounts;

/// <summary>A staff or moderator account (attendees have no account: they use their registration link).</summary>
public sealed class StaffUser : IdentityUser<Guid>;

public static class Roles
{
    public const string Staff = "Staff";
    public const string Moderator = "Moderator";
    public static readonly string[] All = [Staff, Moderator];

    public static string? Normalize(string? role) =>
        All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
}

public static class Policies
{
    public const string Staff = "Staff";
    /// <summary>Moderating the Q&amp;A: moderators, and staff who run their own webinars.</summary>
    public const string Moderator = "Moderator";
}
