using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webinars.Infrastructure;

namespace Webinars.Tests.Infrastructure;

/// <summary>Site:BaseUrl is where every emailed, fed and calendared link points: only a developer's machine may go without it.</summary>
public sealed class SiteOptionsTests
{
    [Fact]
    public async Task Startup_BaseUrlUnsetOutsideDevelopment_FailsNamingTheSetting()
    {
        await using var app = new SqliteApp();
        await using var unset = app.WithWebHostBuilder(b => b.UseSetting("Site:BaseUrl", ""));

        var error = Assert.ThrowsAny<Exception>(() => unset.CreateClient());

        Assert.Contains("Site:BaseUrl is not set", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_BaseUrlUnsetInDevelopment_UsesTheLocalAddress()
    {
        await using var app = new SqliteApp();
        await using var development = app.WithWebHostBuilder(b => b.UseEnvironment("Development").UseSetting("Site:BaseUrl", ""));

        using var client = development.CreateClient();

        Assert.Equal(SiteOptions.DevelopmentBaseUrl, development.Services.GetRequiredService<IOptions<SiteOptions>>().Value.BaseUrl);
    }
}
