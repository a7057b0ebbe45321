using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Webinars.Tests.Infrastructure;

/// <summary>
/// TestServer has no socket, so a request has no peer address. This sets it from the <c>X-Test-Peer</c> header,
/// ahead of the whole app (as the TCP connection would), to play a direct client or a reverse proxy.
/// </summary>
public sealed class PeerAddress : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, then) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var peer)) context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
            return then(context);
        });
        next(app);
    };
}

/// <summary>Rate limits on (as in production), 10.0.0.5 as the one trusted reverse proxy, and peers chosen per request.</summary>
public static class LimitedAppSettings
{
    public const string Proxy = "10.0.0.5";

    public static IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimiting:Enabled"] = "true",
        ["ForwardedHeaders:KnownProxies:0"] = Proxy,
    };

    public static void AddPeerAddresses(IWebHostBuilder builder) =>
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, PeerAddress>());
}

public sealed class SqliteLimitedApp : SqliteApp
{
    protected override IDictionary<string, string?> Settings => LimitedAppSettings.Settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        LimitedAppSettings.AddPeerAddresses(builder);
    }
}

public sealed class PostgresLimitedApp : PostgresApp
{
    protected override IDictionary<string, string?> Settings => LimitedAppSettings.Settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        LimitedAppSettings.AddPeerAddresses(builder);
    }
}
