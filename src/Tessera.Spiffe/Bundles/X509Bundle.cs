using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Bundles;

/// <summary>
/// The X.509 authorities (CA certificates) that a trust domain's X509-SVIDs must chain to
/// (X509-SVID §5.1, §6). Immutable; safe to share between threads.
/// </summary>
public sealed class X509Bundle : IX509BundleSource
{
    private readonly X509Certificate2[] _authorities;

    /// <summary>Creates a bundle for <paramref name="trustDomain"/> holding <paramref name="authorities"/> (duplicates removed).</summary>
    /// <exception cref="ArgumentException">The trust domain is the zero value.</exception>
    public X509Bundle(TrustDomain trustDomain, IEnumerable<X509Certificate2> authorities)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("trust domain is the zero value; parse one first", nameof(trustDomain));
        }

        TrustDomain = trustDomain;
        _authorities = Deduplicate(authorities);
    }

    /// <summary>Gets the trust domain this bundle is authoritative for.</summary>
    public TrustDomain TrustDomain { get; }

    /// <summary>Gets the CA certificates, in the order they were given, without duplicates.</summary>
    public IReadOnlyList<X509Certificate2> Authorities => _authorities;

    /// <summary>Gets whether the bundle holds no authority (the trust domain then trusts no X509-SVID).</summary>
    public bool IsEmpty => _authorities.Length == 0;

    /// <summary>Parses a bundle from PEM (any number of CERTIFICATE blocks) or from concatenated DER certificates.</summary>
    /// <exception cref="FormatException">The data holds no certificate or a malformed one; the message says which.</exception>
    public static X509Bundle Parse(TrustDomain trustDomain, ReadOnlySpan<byte> data) =>
        new(trustDomain, CertificateDecoder.DecodeCertificates(data, "bundle"));

    /// <summary>Reads a bundle from a PEM or DER file.</summary>
    /// <exception cref="FormatException">The file holds no certificate or a malformed one.</exception>
    public static X509Bundle Load(TrustDomain trustDomain, string path) =>
        Parse(trustDomain, File.ReadAllBytes(path));

    /// <summary>Returns whether <paramref name="certificate"/> is one of the bundle's authorities (same DER bytes).</summary>
    public bool Contains(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Array.Exists(_authorities, a => a.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span));
    }

    /// <summary>Returns a copy with <paramref name="authority"/> added (or this bundle if it is already present).</summary>
    public X509Bundle WithAuthority(X509Certificate2 authority) =>
        Contains(authority) ? this : new X509Bundle(TrustDomain, [.. _authorities, authority]);

    /// <summary>Returns a copy without <paramref name="authority"/>.</summary>
    public X509Bundle WithoutAuthority(X509Certificate2 authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return new X509Bundle(TrustDomain, _authorities.Where(a => !a.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span)));
    }

    /// <summary>Encodes the authorities as PEM CERTIFICATE blocks.</summary>
    public string ToPem() => string.Concat(_authorities.Select(a => a.ExportCertificatePem() + "\n"));

    /// <inheritdoc/>
    public bool TryGetX509Bundle(TrustDomain trustDomain, [NotNullWhen(true)] out X509Bundle? bundle)
    {
        bundle = trustDomain == TrustDomain ? this : null;
        return bundle is not null;
    }

    private static X509Certificate2[] Deduplicate(IEnumerable<X509Certificate2> authorities)
    {
        var result = new List<X509Certificate2>();
        foreach (var authority in authorities)
        {
            ArgumentNullException.ThrowIfNull(authority, nameof(authorities));
            if (!result.Exists(a => a.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span)))
            {
                result.Add(authority);
            }
        }

        return [.. result];
    }
}
