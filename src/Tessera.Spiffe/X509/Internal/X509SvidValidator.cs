using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.X509.Internal;

/// <summary>
/// The structural rules of the X509-SVID specification, checked on a chain as presented (leaf first,
/// then the certificates that sign it). Path validation is not done here: that is
/// <see cref="X509SvidVerifier"/>'s job. Issuers (the server) call this on what they mint; parsers call it on
/// what they load; the verifier calls it before path validation.
/// </summary>
internal static class X509SvidValidator
{
    /// <summary>Checks the leaf and every signing certificate of <paramref name="chain"/>; never throws for bad input.</summary>
    public static X509SvidCheck ValidateChain(IReadOnlyList<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Count == 0)
        {
            return X509SvidCheck.Fail(X509SvidError.EmptyChain, X509SvidErrors.EmptyChain);
        }

        var leaf = ValidateLeaf(chain[0]);
        if (!leaf.IsValid)
        {
            return leaf;
        }

        for (var i = 1; i < chain.Count; i++)
        {
            var signing = ValidateSigningCertificate(chain[i], i + 1);
            if (!signing.IsValid)
            {
                return signing;
            }
        }

        return leaf;
    }

    /// <summary>Checks the leaf rules (X509-SVID §2, §3.1, §4.1, §4.3, §5.2) and returns its SPIFFE ID.</summary>
    public static X509SvidCheck ValidateLeaf(X509Certificate2 leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        if (!TryRead(leaf, 1, out var extensions, out var failure))
        {
            return failure;
        }

        // §2 and §5.2: exactly one URI SAN; validators MUST reject an SVID with more than one.
        if (extensions.UriSans.Count == 0)
        {
            return X509SvidCheck.Fail(X509SvidError.MissingUriSan, X509SvidErrors.MissingUriSan);
        }

        if (extensions.UriSans.Count > 1)
        {
            return X509SvidCheck.Fail(X509SvidError.MultipleUriSans, X509SvidErrors.MultipleUriSans(extensions.UriSans.Count));
        }

        // §5.2: the scheme must be spiffe; SpiffeId enforces that and every other rule of SPIFFE-ID §2.
        if (!SpiffeId.TryParse(extensions.UriSans[0], out var id, out var parseError))
        {
            return X509SvidCheck.Fail(X509SvidError.InvalidSpiffeId, X509SvidErrors.InvalidSpiffeId(parseError));
        }

        // §3.1, §5.2: a leaf identifies a workload, never a whole trust domain.
        if (!id.HasPath)
        {
            return X509SvidCheck.Fail(X509SvidError.LeafIdWithoutPath, X509SvidErrors.LeafIdWithoutPath(id.ToString()));
        }

        // §4.1, §5.2: a leaf must not be a CA, or it could mint SVIDs for any ID in its trust domain.
        if (extensions.IsCa)
        {
            return X509SvidCheck.Fail(X509SvidError.LeafIsCa, X509SvidErrors.LeafIsCa);
        }

        // §4.3: key usage MUST be set on all SVIDs and MUST be critical.
        if (extensions.KeyUsage is not { } usage)
        {
            return X509SvidCheck.Fail(X509SvidError.LeafMissingKeyUsage, X509SvidErrors.LeafMissingKeyUsage);
        }

        if (!extensions.KeyUsageCritical)
        {
            return X509SvidCheck.Fail(X509SvidError.LeafKeyUsageNotCritical, X509SvidErrors.LeafKeyUsageNotCritical);
        }

        // §4.3: leaves MUST set digitalSignature; §4.3 and §5.2: they MUST NOT set keyCertSign or cRLSign.
        if (!usage.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            return X509SvidCheck.Fail(X509SvidError.LeafMissingDigitalSignature, X509SvidErrors.LeafMissingDigitalSignature);
        }

        if (usage.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            return X509SvidCheck.Fail(X509SvidError.LeafHasKeyCertSign, X509SvidErrors.LeafHasKeyCertSign);
        }

        if (usage.HasFlag(X509KeyUsageFlags.CrlSign))
        {
            return X509SvidCheck.Fail(X509SvidError.LeafHasCrlSign, X509SvidErrors.LeafHasCrlSign);
        }

        return X509SvidCheck.Valid(id);
    }

    /// <summary>
    /// Checks a signing certificate (X509-SVID §3.2, §4.1, §4.3); <paramref name="index"/> is its 1-based
    /// position in the presented chain, used in messages.
    /// </summary>
    /// <remarks>
    /// Criticality of key usage is not required here: §4.3 asks it of every SVID, but §3.2 only says a signing
    /// certificate SHOULD be an SVID, and upstream CAs (corporate PKIs) often are not. go-spiffe checks signing
    /// certificates not at all; path validation then enforces cA and keyCertSign for issuers (RFC 5280 §6.1.4).
    /// </remarks>
    public static X509SvidCheck ValidateSigningCertificate(X509Certificate2 certificate, int index)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!TryRead(certificate, index, out var extensions, out var failure))
        {
            return failure;
        }

        if (!extensions.IsCa)
        {
            return X509SvidCheck.Fail(X509SvidError.SigningCertificateNotCa, X509SvidErrors.SigningCertificateNotCa(index));
        }

        if (extensions.KeyUsage is not { } usage || !usage.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            return X509SvidCheck.Fail(X509SvidError.SigningCertificateMissingKeyCertSign, X509SvidErrors.SigningCertificateMissingKeyCertSign(index));
        }

        // §3.2: "If present, the SPIFFE ID of a signing certificate MUST NOT have a path component". URIs of
        // other schemes are not SPIFFE IDs, so a CA from an existing PKI may carry them.
        foreach (var uri in extensions.UriSans)
        {
            if (!uri.StartsWith("spiffe:", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!SpiffeId.TryParse(uri, out var id, out var parseError))
            {
                return X509SvidCheck.Fail(X509SvidError.InvalidSpiffeId, X509SvidErrors.SigningCertificateInvalidId(index, parseError));
            }

            if (id.HasPath)
            {
                return X509SvidCheck.Fail(X509SvidError.SigningCertificateIdWithPath, X509SvidErrors.SigningCertificateIdWithPath(index, id.ToString()));
            }
        }

        return X509SvidCheck.Valid(default);
    }

    private static bool TryRead(X509Certificate2 certificate, int index, [NotNullWhen(true)] out CertificateExtensions? extensions, out X509SvidCheck failure)
    {
        try
        {
            extensions = CertificateExtensions.Read(certificate);
            failure = default;
            return true;
        }
        catch (FormatException ex)
        {
            extensions = null;
            failure = X509SvidCheck.Fail(X509SvidError.MalformedCertificate, X509SvidErrors.Malformed(index, ex.Message));
            return false;
        }
        catch (CryptographicException)
        {
            extensions = null;
            failure = X509SvidCheck.Fail(X509SvidError.MalformedCertificate, X509SvidErrors.Malformed(index, "it cannot be decoded"));
            return false;
        }
    }
}
