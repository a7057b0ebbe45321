using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Webinars.Data;
using Webinars.Tests.Email;

namespace Webinars.Tests.Data;

/// <summary>The data-protection key ring in the database is encrypted with the configured certificate.</summary>
public sealed class KeyRingTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task KeyRing_AfterASignIn_HoldsNoKeyInClearAndANewInstanceReadsIt(DatabaseProvider provider) =>
        await MailApp.RunAsync(provider, [], async first =>
        {
            var token = AccessToken(await first.CreateStaffClientAsync());

            var keys = new List<string>();
            await first.WithDbAsync(async db => keys = await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
            Assert.NotEmpty(keys);
            Assert.All(keys, xml =>
            {
                Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            });

            // Another instance (or this one after a restart) decrypts the ring with the certificate and honours the token.
            await using var second = MailApp.SharingWith(first, []);
            var client = second.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/topics", new { name = $"Signed elsewhere {Guid.NewGuid():N}" })).StatusCode);
        });

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Start_OutsideDevelopmentWithoutCertificate_FailsNamingTheSetting(DatabaseProvider provider) =>
        await MailApp.RunAsync(provider, new() { [KeyRing.CertificateFileKey] = "" }, app =>
        {
            var error = Record.Exception(() => app.Services);

            Assert.NotNull(error);
            Assert.Contains($"{KeyRing.CertificateFileKey} is not set", error.ToString(), StringComparison.Ordinal);
            return Task.CompletedTask;
        });

    [Fact]
    public async Task Start_WrongCertificatePassword_FailsNamingTheSettings() =>
        await MailApp.RunAsync(DatabaseProvider.Sqlite, new() { [KeyRing.CertificatePasswordKey] = "not the password" }, app =>
        {
            var error = Record.Exception(() => app.Services);

            Assert.NotNull(error);
            Assert.Contains($"could not be read as a PKCS#12 certificate with {KeyRing.CertificatePasswordKey}", error.ToString(), StringComparison.Ordinal);
            return Task.CompletedTask;
        });

    private static string AccessToken(HttpClient staff) =>
        staff.DefaultRequestHeaders.Authorization?.Parameter ?? throw new InvalidOperationException("The staff client has no bearer token.");
}
