using System.Globalization;
using Webinars.Tests.Email;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Durability;

/// <summary>A <see cref="ProcessTest"/> whose instances send their mail to an SMTP server of the test's own.</summary>
/// <param name="leaseSeconds">
/// How long rows a killed instance had claimed wait for their lease to run out: short, so that the test is too.
/// </param>
public abstract class MailProcessTest(string name, int maxPoolSize, int leaseSeconds) : ProcessTest(name, maxPoolSize)
{
    protected SmtpSink Smtp { get; } = new();

    protected override Dictionary<string, string?> Settings => new()
    {
        ["Email__Smtp__Host"] = "127.0.0.1",
        ["Email__Smtp__Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["Email__DispatchIntervalSeconds"] = "1",
        ["Email__LeaseSeconds"] = leaseSeconds.ToString(CultureInfo.InvariantCulture),
    };

    public override async Task InitializeAsync()
    {
        await Smtp.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
