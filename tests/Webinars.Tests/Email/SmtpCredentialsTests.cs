using Webinars.Data;

namespace Webinars.Tests.Email;

/// <summary>SMTP credentials never cross the network in clear: the app refuses to start with them but without TLS.</summary>
public sealed class SmtpCredentialsTests
{
    private static Dictionary<string, string?> Smtp(bool tls) => new()
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = "2525",
        ["Email:Smtp:UserName"] = "webinars",
        ["Email:Smtp:Password"] = "relay password",
        ["Email:Smtp:UseTls"] = tls ? "true" : "false",
        ["Email:BackgroundDispatch"] = "false",
    };

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Start_SmtpUserNameWithoutTls_FailsNamingUseTls(DatabaseProvider provider) =>
        await MailApp.RunAsync(provider, Smtp(tls: false), app =>
        {
            var error = Record.Exception(() => app.Services);

            Assert.NotNull(error);
            Assert.Contains("Email:Smtp:UseTls is false", error.ToString(), StringComparison.Ordinal);
            return Task.CompletedTask;
        });

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Start_SmtpUserNameWithTls_Starts(DatabaseProvider provider) =>
        await MailApp.RunAsync(provider, Smtp(tls: true), app =>
        {
            Assert.NotNull(app.Services);
            return Task.CompletedTask;
        });
}
