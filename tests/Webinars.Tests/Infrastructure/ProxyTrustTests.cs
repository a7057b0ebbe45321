using System.Net;
using System.Net.Http.Json;
using Webinars.Infrastructure;

namespace Webinars.Tests.Infrastructure;

/// <summary>
/// Forwarded headers count only from the configured proxy, so a client cannot pick a fresh rate-limit partition per
/// request; "send my link" (5 a minute per client) is the limit under test.
/// </summary>
public abstract class ProxyTrustTests(WebinarsApp app)
{
    private const int SendLinkLimit = 5;

    [Fact]
    public async Task SendLink_DirectClientSpoofingForwardedFor_StillHitsItsLimit()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= SendLinkLimit; i++)
        {
            statuses.Add(await SendLinkAsync(peer: "203.0.113.7", forwardedFor: $"198.51.100.{i + 1}"));
        }

        Assert.All(statuses[..SendLinkLimit], s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[SendLinkLimit]);
    }

    [Fact]
    public async Task SendLink_ThroughTrustedProxy_CountsEachRealClientApart()
    {
        for (var i = 0; i < SendLinkLimit; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, await SendLinkAsync(LimitedAppSettings.Proxy, forwardedFor: "198.51.100.200"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await SendLinkAsync(LimitedAppSettings.Proxy, forwardedFor: "198.51.100.200"));
        // Another client behind the same proxy has its own allowance, and a client cannot borrow one by
        // prepending an address of its choice (nginx appends the address it saw last).
        Assert.Equal(HttpStatusCode.NotFound, await SendLinkAsync(LimitedAppSettings.Proxy, forwardedFor: "198.51.100.201"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SendLinkAsync(LimitedAppSettings.Proxy, forwardedFor: "192.0.2.99, 198.51.100.200"));
    }

    [Fact]
    public async Task SendLink_IPv6ClientRotatingWithinItsSlash64_SharesOneLimit()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= SendLinkLimit; i++)
        {
            statuses.Add(await SendLinkAsync(peer: $"2001:db8:7:7:{i + 1:x}::1", forwardedFor: null));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[SendLinkLimit]);
        Assert.Equal(HttpStatusCode.NotFound, await SendLinkAsync(peer: "2001:db8:7:8::1", forwardedFor: null));
    }

    [Fact]
    public void ClientKey_IPv4MappedAndIPv6_AreNormalised()
    {
        Assert.Equal("192.0.2.1", KeyFor("::ffff:192.0.2.1"));
        Assert.Equal("2001:db8:1:2::/64", KeyFor("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
    }

    private static string KeyFor(string address) =>
        ProxyTrust.ClientKey(new Microsoft.AspNetCore.Http.DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(address) } });

    /// <summary>An unknown webinar: 404 when let through, 429 when the limiter refuses first.</summary>
    private async Task<HttpStatusCode> SendLinkAsync(string peer, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webinars/no-such-webinar/registrations/send-link")
        {
            Content = JsonContent.Create(new { email = "someone@example.org" }),
        };
        request.Headers.Add(PeerAddress.Header, peer);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await app.CreateClient().SendAsync(request);
        return response.StatusCode;
    }
}

public sealed class SqliteProxyTrustTests(SqliteLimitedApp app) : ProxyTrustTests(app), IClassFixture<SqliteLimitedApp>;

public sealed class PostgresProxyTrustTests(PostgresLimitedApp app) : ProxyTrustTests(app), IClassFixture<PostgresLimitedApp>;
