using System.Net;
using System.Text.RegularExpressions;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Operations;

/// <summary>The proxied pair, started once for the class: its tests only read.</summary>
public sealed class ProxiedAppsFixture : IAsyncLifetime
{
    public ProxiedApps Apps { get; private set; } = null!;

    public async Task InitializeAsync() => Apps = await ProxiedApps.StartAsync();

    public async Task DisposeAsync() => await Apps.DisposeAsync();
}

/// <summary>Two instances behind nginx run from the shipped infra/nginx.conf on a port other than 80.</summary>
public sealed partial class ProxyTests(ProxiedAppsFixture fixture) : IClassFixture<ProxiedAppsFixture>
{
    private readonly ProxiedApps _apps = fixture.Apps;

    [Fact]
    public async Task StaffPage_ThroughProxyOnNon80Port_RedirectsToTheSameHostAndPort()
    {
        using var client = _apps.CreateClient(followRedirects: false);

        using var response = await client.GetAsync("/staff");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(_apps.BaseAddress, response.Headers.Location!);
        Assert.Equal(_apps.BaseAddress.Authority, location.Authority);
        Assert.Equal("/staff/signin", location.AbsolutePath);
    }

    [Fact]
    public async Task StaffSignIn_ThroughProxyFollowingRedirects_EndsOnTheStaffPageAtTheSameHostAndPort()
    {
        var cookies = new CookieContainer();
        using var client = _apps.CreateClient(followRedirects: true, cookies);

        using var form = await client.GetAsync("/staff");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal(_apps.BaseAddress.Authority, form.RequestMessage!.RequestUri!.Authority);
        Assert.Equal("/staff/signin", form.RequestMessage.RequestUri.AbsolutePath);
        var html = await form.Content.ReadAsStringAsync();
        var antiforgery = AntiforgeryField().Match(html);
        Assert.True(antiforgery.Success, "the sign-in form has no antiforgery token");
        var returnUrl = ReturnUrlField().Match(html).Groups[1].Value;

        using var signedIn = await client.PostAsync(form.RequestMessage.RequestUri, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = ProxiedApps.StaffEmail,
            ["Password"] = ProxiedApps.StaffPassword,
            ["ReturnUrl"] = WebUtility.HtmlDecode(returnUrl),
            ["__RequestVerificationToken"] = antiforgery.Groups[1].Value,
        }));

        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(_apps.BaseAddress.Authority, signedIn.RequestMessage!.RequestUri!.Authority);
        Assert.Equal("/staff", signedIn.RequestMessage.RequestUri.AbsolutePath);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"ReturnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}
