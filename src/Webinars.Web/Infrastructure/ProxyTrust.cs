using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;

namespace Webinars.Infrastructure;

/// <summary>
/// Section <c>ForwardedHeaders</c>: the reverse proxies whose <c>X-Forwarded-*</c> headers are believed. Nothing by
/// default, so a client talking to Kestrel directly cannot choose its own address (and with it its rate-limit partition).
/// </summary>
public sealed class ProxyTrustOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, such as <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, such as <c>172.30.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    internal bool IsValid => KnownProxies.All(p => IPAddress.TryParse(p, out _)) && KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _));
}

public static class ProxyTrust
{
    public static WebApplicationBuilder AddProxyTrust(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProxyTrustOptions>().BindConfiguration(ProxyTrustOptions.Section)
            .Validate(o => o.IsValid, "ForwardedHeaders:KnownProxies must be IP addresses and ForwardedHeaders:KnownNetworks CIDR networks such as 172.30.0.0/24.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<Microsoft.Extensions.Options.IOptions<ProxyTrustOptions>>((o, trust) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // The framework trusts loopback by default; a proxy on the same host must be listed like any other.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            if (!trust.Value.IsValid) return; // ValidateOnStart reports it
            foreach (var proxy in trust.Value.KnownProxies) o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in trust.Value.KnownNetworks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            // One proxy hop: nginx appends the address it saw; anything before that came from the client.
            o.ForwardLimit = 1;
        });
        return builder;
    }

    /// <summary>
    /// The key a per-client limit counts under: the IPv4 address, or the /64 of an IPv6 one (one subscriber
    /// typically gets a whole /64, so per-address limits would give them 2^64 partitions).
    /// </summary>
    public static string ClientKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
