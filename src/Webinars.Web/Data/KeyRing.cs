using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Webinars.Data;

/// <summary>
/// The data-protection key ring signs staff cookies, bearer tokens and attendee cookies. It lives in the database so
/// that every instance shares it; encrypted with a certificate (section <c>DataProtection</c>), a copy of the database
/// alone cannot mint a staff session. Required outside Development.
/// </summary>
public static class KeyRing
{
    public const string CertificateFileKey = "DataProtection:CertificateFile";
    public const string CertificatePasswordKey = "DataProtection:CertificatePassword";

    public static WebApplicationBuilder AddKeyRing(this WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("Webinars").PersistKeysToDbContext<WebinarsDbContext>();
        var file = builder.Configuration[CertificateFileKey];
        if (string.IsNullOrWhiteSpace(file))
        {
            if (builder.Environment.IsDevelopment()) return builder;
            throw new InvalidOperationException(
                $"{CertificateFileKey} is not set: outside Development the data-protection keys (which sign staff sign-ins) are " +
                "encrypted at rest with a certificate. Point it at a PKCS#12 (.pfx) file with a private key and put its password in " +
                $"{CertificatePasswordKey}; the README shows how to create one.");
        }

        dataProtection.ProtectKeysWithCertificate(Load(Path.GetFullPath(file, builder.Environment.ContentRootPath), builder.Configuration[CertificatePasswordKey]));
        return builder;
    }

    private static X509Certificate2 Load(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{CertificateFileKey} ({path}) could not be read as a PKCS#12 certificate with {CertificatePasswordKey}: {e.Message}", e);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"{CertificateFileKey} ({path}) has no private key; the key ring could be encrypted but never read back.");
        }

        return certificate;
    }
}
