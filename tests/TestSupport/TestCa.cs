using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Tests.TestSupport;

/// <summary>
/// Mints fresh EC P-256 certificate authorities and X509-SVIDs for tests: no key is ever checked in.
/// Every X509-SVID rule has a knob in <see cref="Profile"/> so a test can break exactly one of them.
/// Uses the base class library only (it is compiled into every test project).
/// </summary>
internal sealed class TestCa : IDisposable
{
    private readonly TestCa? _parent;

    private TestCa(string trustDomain, X509Certificate2 certificate, ECDsa key, TestCa? parent)
    {
        TrustDomain = trustDomain;
        Certificate = certificate;
        Key = key;
        _parent = parent;
    }

    /// <summary>Gets the trust domain name (e.g. <c>example.org</c>).</summary>
    public string TrustDomain { get; }

    /// <summary>Gets the CA certificate (with its private key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Gets the CA's private key.</summary>
    public ECDsa Key { get; }

    /// <summary>Gets the intermediates from this CA up to (excluding) the root: what a leaf it issues presents after itself.</summary>
    public IReadOnlyList<X509Certificate2> Intermediates =>
        _parent is null ? [] : [Certificate, .. _parent.Intermediates];

    /// <summary>Gets the root of this CA's hierarchy.</summary>
    public TestCa Root => _parent?.Root ?? this;

    /// <summary>Creates a self-signed root CA for <paramref name="trustDomain"/>.</summary>
    public static TestCa CreateRoot(string trustDomain = "example.org", Profile? profile = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        profile ??= new Profile();
        var request = Request($"CN=Test Root {trustDomain}", key, profile, CaDefaults(trustDomain, profile));
        var certificate = request.CreateSelfSigned(profile.NotBefore ?? DateTimeOffset.UtcNow.AddDays(-30), profile.NotAfter ?? DateTimeOffset.UtcNow.AddYears(10));
        return new TestCa(trustDomain, certificate, key, null);
    }

    /// <summary>Creates an intermediate CA signed by this one (same trust domain unless the profile says otherwise).</summary>
    public TestCa CreateIntermediate(Profile? profile = null, string? trustDomain = null)
    {
        profile ??= new Profile();
        trustDomain ??= TrustDomain;
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Request($"CN=Test Intermediate {trustDomain}", key, profile, CaDefaults(trustDomain, profile));
        using var issued = Issue(request, profile, DateTimeOffset.UtcNow.AddDays(-29), DateTimeOffset.UtcNow.AddYears(5));
        return new TestCa(trustDomain, issued.CopyWithPrivateKey(key), key, this);
    }

    /// <summary>Issues a leaf SVID for <c>spiffe://trust-domain{path}</c> (or the profile's URI SANs).</summary>
    public Svid IssueSvid(string path = "/workload", Profile? profile = null)
    {
        profile ??= new Profile();
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var defaults = new Profile
        {
            UriSans = profile.UriSans ?? [$"spiffe://{TrustDomain}{path}"],
            IsCa = profile.IsCa ?? false,
            KeyUsage = profile.KeyUsage ?? X509KeyUsageFlags.DigitalSignature,
            ServerAndClientAuth = profile.ServerAndClientAuth ?? true,
        };
        var request = Request("CN=Test Workload", key, profile, defaults);
        using var issued = Issue(request, profile, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddHours(1));
        var leaf = X509CertificateLoader.LoadCertificate(issued.RawData);
        return new Svid(leaf, key, [leaf, .. Intermediates.Select(c => X509CertificateLoader.LoadCertificate(c.RawData))]);
    }

    /// <summary>Disposes the key and the certificate.</summary>
    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }

    /// <summary>Encodes a subjectAltName extension by hand, so that tests can write any URI string (System.Uri would normalize it).</summary>
    public static X509Extension SubjectAltName(IEnumerable<string> uris, IEnumerable<string>? dnsNames = null, bool critical = false)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var dns in dnsNames ?? [])
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, dns, new Asn1Tag(TagClass.ContextSpecific, 2));
            }

            foreach (var uri in uris)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, new Asn1Tag(TagClass.ContextSpecific, 6));
            }
        }

        return new X509Extension("2.5.29.17", writer.Encode(), critical);
    }

    private static Profile CaDefaults(string trustDomain, Profile profile) => new()
    {
        UriSans = profile.UriSans ?? [$"spiffe://{trustDomain}"],
        IsCa = profile.IsCa ?? true,
        KeyUsage = profile.KeyUsage ?? (X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign),
        ServerAndClientAuth = profile.ServerAndClientAuth ?? false,
    };

    private static CertificateRequest Request(string subject, ECDsa key, Profile profile, Profile defaults)
    {
        var request = new CertificateRequest(profile.Subject ?? subject, key, HashAlgorithmName.SHA256);
        if (!profile.OmitBasicConstraints)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(defaults.IsCa!.Value, false, 0, critical: true));
        }

        if (!profile.OmitKeyUsage)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(defaults.KeyUsage!.Value, profile.KeyUsageCritical));
        }

        if (defaults.ServerAndClientAuth == true)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        }

        request.CertificateExtensions.Add(profile.SubjectKeyIdentifier is { } ski
            ? new X509SubjectKeyIdentifierExtension(ski, false)
            : new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (defaults.UriSans!.Count > 0 || profile.DnsNames.Count > 0)
        {
            request.CertificateExtensions.Add(SubjectAltName(defaults.UriSans, profile.DnsNames));
        }

        foreach (var extension in profile.ExtraExtensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        return request;
    }

    private X509Certificate2 Issue(CertificateRequest request, Profile profile, DateTimeOffset defaultNotBefore, DateTimeOffset defaultNotAfter)
    {
        if (!profile.OmitAuthorityKeyIdentifier)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        }

        var notBefore = profile.NotBefore ?? defaultNotBefore;
        var notAfter = profile.NotAfter ?? defaultNotAfter;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);

        // The issuer-name overload skips CertificateRequest's checks that the issuer is a CA with keyCertSign
        // and that the validity window nests in the issuer's: tests need to break exactly those rules.
        return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(Key), notBefore, notAfter, serial);
    }

    /// <summary>Knobs for one certificate; null means "the right value for the certificate's role".</summary>
    public sealed record Profile
    {
        /// <summary>URI SANs to write verbatim (empty list: none at all).</summary>
        public IReadOnlyList<string>? UriSans { get; init; }

        public IReadOnlyList<string> DnsNames { get; init; } = [];

        public bool? IsCa { get; init; }

        public bool OmitBasicConstraints { get; init; }

        public X509KeyUsageFlags? KeyUsage { get; init; }

        public bool KeyUsageCritical { get; init; } = true;

        public bool OmitKeyUsage { get; init; }

        public bool? ServerAndClientAuth { get; init; }

        public DateTimeOffset? NotBefore { get; init; }

        public DateTimeOffset? NotAfter { get; init; }

        public string? Subject { get; init; }

        /// <summary>Overrides the subject key identifier (to forge a look-alike CA).</summary>
        public byte[]? SubjectKeyIdentifier { get; init; }

        /// <summary>Gets whether to leave out the authority key identifier (as a certificate minted by hand with a stolen CA key might).</summary>
        public bool OmitAuthorityKeyIdentifier { get; init; }

        public IReadOnlyList<X509Extension> ExtraExtensions { get; init; } = [];
    }

    /// <summary>A minted leaf SVID: the chain it presents (leaf first) and its key.</summary>
    public sealed class Svid(X509Certificate2 leaf, ECDsa key, IReadOnlyList<X509Certificate2> chain) : IDisposable
    {
        public X509Certificate2 Leaf { get; } = leaf;

        public ECDsa Key { get; } = key;

        public IReadOnlyList<X509Certificate2> Chain { get; } = chain;

        /// <summary>Gets the chain as concatenated DER, the Workload API's format.</summary>
        public byte[] ChainDer => [.. Chain.SelectMany(c => c.RawData)];

        /// <summary>Gets the chain as PEM CERTIFICATE blocks.</summary>
        public string ChainPem => string.Concat(Chain.Select(c => c.ExportCertificatePem() + "\n"));

        public byte[] KeyPkcs8 => Key.ExportPkcs8PrivateKey();

        public string KeyPem => Key.ExportPkcs8PrivateKeyPem();

        public void Dispose()
        {
            foreach (var certificate in Chain)
            {
                certificate.Dispose();
            }

            Key.Dispose();
        }
    }
}
