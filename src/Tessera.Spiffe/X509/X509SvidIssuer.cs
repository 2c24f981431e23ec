using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509.Internal;

namespace Tessera.Spiffe.X509;

/// <summary>
/// Issues certificates in the X509-SVID profile: self-signed trust-domain authorities, intermediate
/// signing certificates and leaf SVIDs. Every extension is set here from the arguments — nothing is copied
/// from a request — so a caller cannot obtain a CA flag or an extra SAN it was not meant to have.
/// </summary>
public static class X509SvidIssuer
{
    /// <summary>
    /// Creates a self-signed root authority for <paramref name="trustDomain"/> whose SPIFFE ID is the trust
    /// domain itself (a signing certificate's ID has no path, X509-SVID §3.2). The returned certificate
    /// carries <paramref name="key"/> as its private key.
    /// </summary>
    public static X509Certificate2 CreateAuthority(TrustDomain trustDomain, ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter, string? organization = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        RequireTrustDomain(trustDomain);
        var request = AuthorityRequest(trustDomain, key, organization);
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    /// <summary>
    /// Issues an intermediate signing certificate for <paramref name="trustDomain"/> under
    /// <paramref name="issuer"/> (which must carry its private key). The validity is clamped to the issuer's.
    /// </summary>
    public static X509Certificate2 IssueIntermediate(X509Certificate2 issuer, TrustDomain trustDomain, PublicKey subjectKey, DateTimeOffset notBefore, DateTimeOffset notAfter, string? organization = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(subjectKey);
        RequireTrustDomain(trustDomain);
        var request = new CertificateRequest(SubjectName(organization ?? trustDomain.Name, trustDomain.Name), subjectKey, HashAlgorithmName.SHA256);
        if (!issuer.HasPrivateKey)
        {
            throw new ArgumentException("the issuer certificate carries no private key", nameof(issuer));
        }

        AddAuthorityExtensions(request, trustDomain);
        return Sign(request, issuer, notBefore, notAfter);
    }

    /// <summary>
    /// Issues a leaf X509-SVID for <paramref name="id"/> bound to <paramref name="subjectKey"/>, signed by
    /// <paramref name="issuer"/> (which must carry its private key). The validity is clamped to the issuer's
    /// so an SVID never outlives the authority that vouches for it.
    /// </summary>
    /// <exception cref="ArgumentException">The ID has no path (X509-SVID §3.1) or the issuer has no private key.</exception>
    public static X509Certificate2 IssueLeaf(X509Certificate2 issuer, SpiffeId id, PublicKey subjectKey, DateTimeOffset notBefore, DateTimeOffset notAfter, IEnumerable<string>? dnsNames = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!issuer.HasPrivateKey)
        {
            throw new ArgumentException("the issuer certificate carries no private key", nameof(issuer));
        }

        using var ecdsa = issuer.GetECDsaPrivateKey();
        using var rsa = ecdsa is null ? issuer.GetRSAPrivateKey() : null;
        var signer = ecdsa is not null ? X509SignatureGenerator.CreateForECDsa(ecdsa)
            : rsa is not null ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)
            : throw new ArgumentException("the issuer's private key is neither ECDSA nor RSA", nameof(issuer));
        return IssueLeaf(issuer, signer, id, subjectKey, notBefore, notAfter, dnsNames);
    }

    /// <summary>
    /// Issues a leaf X509-SVID as <see cref="IssueLeaf(X509Certificate2, SpiffeId, PublicKey, DateTimeOffset, DateTimeOffset, IEnumerable{string}?)"/>
    /// does, signing with <paramref name="signer"/> (the issuer's key, made with
    /// <see cref="X509SignatureGenerator.CreateForECDsa"/>) instead of the key carried by the issuer certificate, so
    /// the issuer certificate needs no private key. The subject key may be of another algorithm than the issuer's (an
    /// RSA workload key under an EC authority). To issue many leaves under one issuer, keep an
    /// <see cref="X509LeafSigner"/>: it returns DER without parsing each certificate back.
    /// </summary>
    /// <exception cref="ArgumentException">The ID has no path (X509-SVID §3.1).</exception>
    public static X509Certificate2 IssueLeaf(X509Certificate2 issuer, X509SignatureGenerator signer, SpiffeId id, PublicKey subjectKey, DateTimeOffset notBefore, DateTimeOffset notAfter, IEnumerable<string>? dnsNames = null) =>
        X509CertificateLoader.LoadCertificate(new X509LeafSigner(issuer, signer).Issue(id, subjectKey, notBefore, notAfter, dnsNames).Der.Span);

    private static CertificateRequest AuthorityRequest(TrustDomain trustDomain, ECDsa key, string? organization)
    {
        var request = new CertificateRequest(SubjectName(organization ?? trustDomain.Name, trustDomain.Name), key, HashAlgorithmName.SHA256);
        AddAuthorityExtensions(request, trustDomain);
        return request;
    }

    private static void AddAuthorityExtensions(CertificateRequest request, TrustDomain trustDomain)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true)); // §4.1
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true)); // §4.3
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(SubjectAlternativeNames.Create(trustDomain.Id.ToString(), [], critical: false));
    }

    private static X509Certificate2 Sign(CertificateRequest request, X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var issuerSki = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault();
        if (issuerSki is not null)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuerSki));
        }

        var start = notBefore < issuer.NotBefore ? new DateTimeOffset(issuer.NotBefore) : notBefore;
        var end = notAfter > issuer.NotAfter ? new DateTimeOffset(issuer.NotAfter) : notAfter;
        if (end <= start)
        {
            throw new ArgumentException($"validity window is empty after clamping to the issuer's ({issuer.NotBefore:O} - {issuer.NotAfter:O})", nameof(notAfter));
        }

        // RFC 5280 §4.1.2.2: positive, at most 20 octets; 16 random bytes make serials unguessable.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return request.Create(issuer, start, end, serial);
    }

    private static X500DistinguishedName SubjectName(string organization, string? serialOrTrustDomain)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName(organization);
        if (serialOrTrustDomain is not null)
        {
            builder.AddCommonName(serialOrTrustDomain);
        }

        return builder.Build();
    }

    private static void RequireTrustDomain(TrustDomain trustDomain)
    {
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("trust domain is the zero value; parse one first", nameof(trustDomain));
        }
    }
}
