using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Webinars.Accounts;

/// <summary><c>users add &lt;email&gt; --role Staff|Moderator [--password &lt;pw&gt;]</c>: creates an account and exits.</summary>
public static class UsersCommand
{
    public static bool Matches(string[] args) => args is ["users", ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        if (args is not ["users", "add", var email, .. var rest] || email.StartsWith("--", StringComparison.Ordinal))
        {
            await error.WriteLineAsync("usage: users add <email> --role Staff|Moderator [--password <password>]");
            return 2;
        }

        string? role = null, password = null;
        for (var i = 0; i < rest.Length; i++)
        {
            switch (rest[i])
            {
                case "--role" when i + 1 < rest.Length: role = rest[++i]; break;
                case "--password" when i + 1 < rest.Length: password = rest[++i]; break;
                default:
                    await error.WriteLineAsync($"users add: unknown or incomplete option '{rest[i]}'.");
                    return 2;
            }
        }

        var normalizedRole = Roles.Normalize(role);
        if (normalizedRole is null)
        {
            await error.WriteLineAsync($"users add: --role must be one of {string.Join(", ", Roles.All)} (got '{role ?? "nothing"}').");
            return 2;
        }

        var generated = password is null;
        password ??= GeneratePassword();
        await using var scope = services.CreateAsyncScope();
        var result = await CreateAsync(scope.ServiceProvider, email.Trim(), password, normalizedRole);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors) await error.WriteLineAsync($"users add: {e.Description}");
            return 1;
        }

        await output.WriteLineAsync($"Created {normalizedRole} account {email.Trim()}.");
        if (generated) await output.WriteLineAsync($"Password (shown once): {password}");
        return 0;
    }

    public static async Task<IdentityResult> CreateAsync(IServiceProvider services, string email, string password, string role)
    {
        var users = services.GetRequiredService<UserManager<StaffUser>>();
        var roles = services.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        foreach (var name in Roles.All)
        {
            if (!await roles.RoleExistsAsync(name)) await roles.CreateAsync(new IdentityRole<Guid>(name));
        }

        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, password);
        return created.Succeeded ? await users.AddToRoleAsync(user, role) : created;
    }

    public static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', 'x').Replace('/', 'y');
}
