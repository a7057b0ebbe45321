using System.Runtime.CompilerServices;
using Webinars.Accounts;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Webinars;

/// <summary>
/// One signed-in client per role per app: making an account and signing in hashes a password twice, which adds up
/// over a class of tests that only need "some staff member".
/// </summary>
public static class SharedClients
{
    private static readonly ConditionalWeakTable<WebinarsApp, Task<HttpClient>> Staff = new();
    private static readonly ConditionalWeakTable<WebinarsApp, Task<HttpClient>> Moderators = new();

    public static Task<HttpClient> StaffClientAsync(this WebinarsApp app) =>
        Staff.GetValue(app, a => a.CreateStaffClientAsync());

    public static Task<HttpClient> ModeratorClientAsync(this WebinarsApp app) =>
        Moderators.GetValue(app, a => a.CreateClientWithRoleAsync(Roles.Moderator));
}
