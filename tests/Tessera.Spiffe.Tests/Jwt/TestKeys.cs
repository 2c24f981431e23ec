using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Tests.Jwt;

/// <summary>Fresh keys per test run (none checked in), cached because RSA generation is slow.</summary>
internal static class TestKeys
{
    private static readonly Lazy<ECDsa> LazyP256 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP256));
    private static readonly Lazy<ECDsa> LazyP384 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP384));
    private static readonly Lazy<ECDsa> LazyP521 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP521));
    private static readonly Lazy<RSA> LazyRsa2048 = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> LazyRsa1024 = new(() => RSA.Create(1024));

    public static readonly TrustDomain Domain = TrustDomain.Parse("example.org");

    public static ECDsa P256 => LazyP256.Value;

    public static ECDsa P384 => LazyP384.Value;

    public static ECDsa P521 => LazyP521.Value;

    public static RSA Rsa2048 => LazyRsa2048.Value;

    public static RSA Rsa1024 => LazyRsa1024.Value;

    /// <summary>A self-signed CA certificate with a SPIFFE ID URI SAN.</summary>
    public static X509Certificate2 CreateCa(AsymmetricAlgorithm key, string trustDomain = "example.org")
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri($"spiffe://{trustDomain}"));
        var request = key switch
        {
            ECDsa ec => new CertificateRequest($"O={trustDomain}", ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest($"O={trustDomain}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("unsupported key", nameof(key)),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadCertificate(cert.RawData);
    }
}
