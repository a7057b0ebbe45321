using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Accounts;

/// <summary>
/// Two instances on one PostgreSQL database, as behind the proxy: failed sign-ins counted on one count on the other,
/// so a guesser alternating between them gets no more tries than against one.
/// </summary>
public sealed class SignInThrottleTwoInstancesTests
{
    private const string Password = "the owner's long passphrase";
    private const string Guesser = "203.0.113.40";

    /// <summary>Runs <paramref name="test"/> against two fresh instances on one new database, then drops it.</summary>
    private static async Task WithTwoInstancesAsync(Func<WebinarsApp, WebinarsApp, Task> test)
    {
        var first = new PostgresLimitedApp();
        LimitedPeerApp? second = null;
        try
        {
            await first.InitializeAsync();
            _ = first.Services; // migrates the shared database before the second instance starts
            second = new LimitedPeerApp(first);
            await test(first, second);
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
            await first.DisposeAsync(); // drops the database
        }
    }

    [Fact]
    public Task Login_WrongPasswordsAlternatingBetweenInstances_LockOutAfterOneInstancesLimit() => WithTwoInstancesAsync(async (first, second) =>
    {
        var email = $"owner-{Guid.NewGuid():N}@example.org";
        await using (var scope = first.Services.CreateAsyncScope())
        {
            Assert.True((await UsersCommand.CreateAsync(scope.ServiceProvider, email, Password, Roles.Staff)).Succeeded);
        }

        var limit = new SignInLimitsOptions().FailuresBeforeLockout;
        for (var i = 0; i < limit; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync(i % 2 == 0 ? first : second, Guesser, email, "a wrong guess"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginAsync(first, Guesser, email, Password));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginAsync(second, Guesser, email, Password));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(second, "198.51.100.40", email, Password));
    });

    [Fact]
    public Task Login_FailuresAtOnceOnBothInstances_EachIsCounted() => WithTwoInstancesAsync(async (first, second) =>
    {
        var email = $"nobody-{Guid.NewGuid():N}@example.org";

        // Four wrong passwords at the same moment, two on each instance: none may overwrite another's count.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => LoginAsync(i % 2 == 0 ? first : second, Guesser, email, "a guess")));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        await using var scope = first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        var counts = db.Set<SignInFailure>().Where(f => f.Key.EndsWith("|" + email.ToUpperInvariant())).ToDictionary(f => f.Key, f => f.Count);
        Assert.Equal(4, counts[$"*|{email.ToUpperInvariant()}"]);
        Assert.Equal(4, counts[$"{Guesser}|{email.ToUpperInvariant()}"]);
    });

    private static async Task<HttpStatusCode> LoginAsync(WebinarsApp app, string peer, string email, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { email, password }) };
        request.Headers.Add(PeerAddress.Header, peer);
        using var response = await app.CreateClient().SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A second instance with the same settings on the first one's database.</summary>
    private sealed class LimitedPeerApp(WebinarsApp first) : WebinarsApp
    {
        public override DatabaseProvider Provider => first.Provider;

        protected override string ConnectionString => first.SharedConnectionString;

        protected override IDictionary<string, string?> Settings => LimitedAppSettings.Settings;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            LimitedAppSettings.AddPeerAddresses(builder);
        }
    }
}
