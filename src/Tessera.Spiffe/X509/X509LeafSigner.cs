using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509.Internal;

namespace Tessera.Spiffe.X509;

/// <summary>
/// Issues leaf X509-SVIDs under one issuer, many times: what depends only on the issuer (its name, key identifier,
/// validity and signature algorithm) is worked out once, and each leaf is written straight to DER and signed with
/// the issuer's <see cref="X509SignatureGenerator"/> (the base class library's ECDSA or RSA), never parsed back.
/// Every extension is set here from the arguments — nothing is copied from a request — so a caller cannot obtain a
/// CA flag or an extra SAN it was not meant to have. Thread-safe: a CA shares one per signing key.
/// </summary>
public sealed class X509LeafSigner
{
    private readonly X509SignatureGenerator _generator;
    private readonly byte[] _issuerName;
    private readonly byte[] _signatureAlgorithm;
    private readonly byte[]? _authorityKeyIdentifier;
    private readonly DateTimeOffset _issuerNotBefore;
    private readonly DateTimeOffset _issuerNotAfter;
    private readonly string _issuerValidity;
    private volatile SubjectCache? _subject;

    /// <summary>Prepares to sign leaves as <paramref name="issuer"/> with <paramref name="generator"/> (the issuer's key).</summary>
    public X509LeafSigner(X509Certificate2 issuer, X509SignatureGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
        _issuerName = issuer.SubjectName.RawData;
        _signatureAlgorithm = generator.GetSignatureAlgorithmIdentifier(HashAlgorithmName.SHA256);
        var ski = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault();
        _authorityKeyIdentifier = ski is null ? null : X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski).RawData;
        AuthorityKeyIdentifier = ski?.SubjectKeyIdentifier?.ToUpperInvariant() ?? string.Empty;
        _issuerNotBefore = new DateTimeOffset(issuer.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        _issuerNotAfter = new DateTimeOffset(issuer.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        _issuerValidity = $"{issuer.NotBefore.ToUniversalTime():O} - {issuer.NotAfter.ToUniversalTime():O}";
    }

    /// <summary>The issuer's subject key identifier as upper-case hex (what each leaf carries as authority key identifier), or empty.</summary>
    public string AuthorityKeyIdentifier { get; }

    /// <summary>
    /// Issues a leaf X509-SVID for <paramref name="id"/> bound to <paramref name="subjectKey"/>. The validity is
    /// truncated to whole seconds and clamped to the issuer's, so an SVID never outlives the authority that vouches
    /// for it. The subject holds only the trust domain as O, like SPIRE; the identity is the URI SAN alone.
    /// </summary>
    /// <exception cref="ArgumentException">The ID has no path (X509-SVID §3.1), or the validity is empty after clamping.</exception>
    public X509SvidLeaf Issue(SpiffeId id, PublicKey subjectKey, DateTimeOffset notBefore, DateTimeOffset notAfter, IEnumerable<string>? dnsNames = null)
    {
        ArgumentNullException.ThrowIfNull(subjectKey);
        if (!id.HasPath)
        {
            throw new ArgumentException($"'{id}' has no path; a leaf X509-SVID's SPIFFE ID must have a non-root path (X509-SVID §3.1)", nameof(id));
        }

        var start = WholeSeconds(notBefore < _issuerNotBefore ? _issuerNotBefore : notBefore);
        var end = WholeSeconds(notAfter > _issuerNotAfter ? _issuerNotAfter : notAfter);
        if (end <= start)
        {
            throw new ArgumentException($"validity window is empty after clamping to the issuer's ({_issuerValidity})", nameof(notAfter));
        }

        // RFC 5280 §4.1.2.2: positive, at most 20 octets; 16 random bytes make serials unguessable. The leading
        // byte is 0x01-0x7F, so the DER integer is these bytes exactly and the hex matches X509Certificate2's.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        var extensions = new LeafExtensions(
            SubjectAlternativeNames.Create(id.ToString(), dnsNames ?? [], critical: false).RawData,
            new X509SubjectKeyIdentifierExtension(subjectKey, critical: false).RawData, // RFC 5280 §4.2.1.2 method (1)
            _authorityKeyIdentifier);
        var tbs = LeafCertificateWriter.WriteToBeSigned(serial, _signatureAlgorithm, _issuerName, start, end, SubjectFor(id.TrustDomain), subjectKey, extensions);
        var der = LeafCertificateWriter.WriteCertificate(tbs, _signatureAlgorithm, _generator.SignData(tbs, HashAlgorithmName.SHA256));
        return new X509SvidLeaf(der, Convert.ToHexString(serial), start, end);
    }

    private byte[] SubjectFor(TrustDomain trustDomain)
    {
        // One trust domain in practice: remember the last subject rather than building the name per leaf.
        if (_subject is { } cached && cached.TrustDomain == trustDomain.Name)
        {
            return cached.Name;
        }

        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName(trustDomain.Name);
        var name = builder.Build().RawData;
        _subject = new SubjectCache(trustDomain.Name, name);
        return name;
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());

    private sealed record SubjectCache(string TrustDomain, byte[] Name);
}
