using System.Text.RegularExpressions;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Operations;

/// <summary>The shipped infra/nginx.conf, rendered as the proxy tests and the nginx image render it.</summary>
public sealed class NginxConfigTests
{
    [Fact]
    public void ShippedConfig_Rendered_ForwardsThePortAndUpgradesHubConnections()
    {
        var config = TestNginx.Render("127.0.0.1:5001", "127.0.0.1:5002", "127.0.0.1:8081");

        Assert.DoesNotContain("$host;", config);
        Assert.Equal(2, Regex.Count(config, @"proxy_set_header Host\s+\$http_host;"));
        Assert.Equal(2, Regex.Count(config, @"proxy_set_header X-Forwarded-Host\s+\$http_host;"));
        Assert.Matches(@"location /hubs/ \{[^}]*proxy_set_header Upgrade\s+\$http_upgrade;[^}]*proxy_set_header Connection\s+\$connection_upgrade;", config);
        Assert.Contains("listen 127.0.0.1:8081;", config);
    }
}
