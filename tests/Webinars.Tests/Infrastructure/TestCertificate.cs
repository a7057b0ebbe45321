using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Webinars.Tests.Infrastructure;

/// <summary>
/// A self-signed certificate made at run time (never checked in) for the data-protection key ring, which every app
/// outside Development requires (<c>DataProtection:CertificateFile</c>). One per test process, deleted at its exit.
/// </summary>
public static class TestCertificate
{
    public const string Password = "test key ring password";

    private static readonly Lazy<string> File = new(Create);

    /// <summary>Path of the .pfx file (with its private key, protected by <see cref="Password"/>).</summary>
    public static string Path => File.Value;

    /// <summary>The settings that point an app at it (keys as in appsettings).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("DataProtection:CertificateFile", Path),
        new("DataProtection:CertificatePassword", Password),
    ];

    /// <summary>A new certificate in its own file, for a test about the key ring itself.</summary>
    public static string CreateFile(string password = Password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Webinars test key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"webinars-keyring-{Guid.NewGuid():N}.pfx");
        System.IO.File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    private static string Create()
    {
        var path = CreateFile();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.File.Delete(path);
        return path;
    }
}
