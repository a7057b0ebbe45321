using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Webinars.Accounts;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Accounts;

/// <summary>
/// Password guessing is slowed per address and per account, and a guesser locks out only itself: the owner, from
/// another address, still signs in. Each test uses its own addresses and accounts (the limits live in the app).
/// </summary>
public abstract class SignInThrottleTests(WebinarsApp app)
{
    private const string Password = "the owner's long passphrase";

    [Fact]
    public async Task Login_WrongPasswordsFromOneAddress_LockOutThatAddressButNotTheOwner()
    {
        var email = await AddStaffAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync("203.0.113.10", email, "a wrong guess, again"));
        }

        var guesser = await LoginAsync("203.0.113.10", email, Password);
        var owner = await LoginAsync("198.51.100.10", email, Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, guesser);
        Assert.Equal(HttpStatusCode.OK, owner);
    }

    [Fact]
    public async Task Login_GuessesSpreadOverManyAddresses_RefuseAddressesThatFailedButLetANewOneIn()
    {
        var email = await AddStaffAsync();
        var limits = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SignInLimitsOptions>>().Value;
        for (var i = 0; i < limits.AccountFailuresBeforeLockout; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync($"203.0.114.{i + 1}", email, "a distributed guess"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginAsync("203.0.114.1", email, Password));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync("198.51.100.11", email, Password));
    }

    [Fact]
    public async Task Login_ManyAttemptsFromOneAddress_Returns429WithRetryAfter()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i <= 10; i++)
        {
            last?.Dispose();
            last = await SendLoginAsync("203.0.113.20", $"nobody-{i}-{Guid.NewGuid():N}@example.org", "whatever it is");
            statuses.Add(last.StatusCode);
        }

        Assert.All(statuses[..10], s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[10]);
        Assert.True(last!.Headers.RetryAfter is not null, "429 without Retry-After");
    }

    [Fact]
    public async Task SignInPage_ManyPostsFromOneAddress_Returns429ButStillShowsThePage()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= 10; i++)
        {
            // No antiforgery token: let through, the page answers 400; the limiter answers before it.
            statuses.Add(await SendAsync(HttpMethod.Post, "/staff/signin", "203.0.113.30", new FormUrlEncodedContent([new("Email", "x@example.org"), new("Password", "y")])));
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses[..10]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[10]);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/staff/signin", "203.0.113.30", null));
    }

    private async Task<string> AddStaffAsync()
    {
        var email = $"owner-{Guid.NewGuid():N}@example.org";
        await using var scope = app.Services.CreateAsyncScope();
        Assert.True((await UsersCommand.CreateAsync(scope.ServiceProvider, email, Password, Roles.Staff)).Succeeded);
        return email;
    }

    private async Task<HttpStatusCode> LoginAsync(string peer, string email, string password)
    {
        using var response = await SendLoginAsync(peer, email, password);
        return response.StatusCode;
    }

    private Task<HttpResponseMessage> SendLoginAsync(string peer, string email, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { email, password }) };
        request.Headers.Add(PeerAddress.Header, peer);
        return app.CreateClient().SendAsync(request);
    }

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string peer, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add(PeerAddress.Header, peer);
        using var response = await app.CreateClient(new() { AllowAutoRedirect = false }).SendAsync(request);
        return response.StatusCode;
    }
}

public sealed class SqliteSignInThrottleTests(SqliteLimitedApp app) : SignInThrottleTests(app), IClassFixture<SqliteLimitedApp>;

public sealed class PostgresSignInThrottleTests(PostgresLimitedApp app) : SignInThrottleTests(app), IClassFixture<PostgresLimitedApp>;
