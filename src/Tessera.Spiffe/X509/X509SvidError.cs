namespace Tessera.Spiffe.X509;

/// <summary>
/// Why an X509-SVID was rejected. Each value names one rule of the X509-SVID specification or one step
/// of verification; <see cref="None"/> means no error.
/// </summary>
public enum X509SvidError
{
    /// <summary>No error: the SVID passed every check.</summary>
    None = 0,

    /// <summary>The chain holds no certificate.</summary>
    EmptyChain,

    /// <summary>A certificate, or one of its extensions, could not be decoded.</summary>
    MalformedCertificate,

    /// <summary>The leaf carries no URI SAN (X509-SVID §2).</summary>
    MissingUriSan,

    /// <summary>The leaf carries more than one URI SAN (X509-SVID §2, §5.2).</summary>
    MultipleUriSans,

    /// <summary>The URI SAN of a certificate is not a valid SPIFFE ID (SPIFFE-ID §2).</summary>
    InvalidSpiffeId,

    /// <summary>The leaf's SPIFFE ID has no path (X509-SVID §3.1, §5.2).</summary>
    LeafIdWithoutPath,

    /// <summary>The leaf has basic constraints cA=true (X509-SVID §4.1, §5.2).</summary>
    LeafIsCa,

    /// <summary>The leaf has no key usage extension (X509-SVID §4.3).</summary>
    LeafMissingKeyUsage,

    /// <summary>The leaf's key usage extension is not marked critical (X509-SVID §4.3).</summary>
    LeafKeyUsageNotCritical,

    /// <summary>The leaf's key usage lacks digitalSignature (X509-SVID §4.3).</summary>
    LeafMissingDigitalSignature,

    /// <summary>The leaf's key usage sets keyCertSign (X509-SVID §4.3, §5.2).</summary>
    LeafHasKeyCertSign,

    /// <summary>The leaf's key usage sets cRLSign (X509-SVID §4.3, §5.2).</summary>
    LeafHasCrlSign,

    /// <summary>A signing certificate does not have basic constraints cA=true (X509-SVID §3.2, §4.1).</summary>
    SigningCertificateNotCa,

    /// <summary>A signing certificate's key usage lacks keyCertSign (X509-SVID §3.2, §4.3).</summary>
    SigningCertificateMissingKeyCertSign,

    /// <summary>A signing certificate's SPIFFE ID has a path (X509-SVID §3.2).</summary>
    SigningCertificateIdWithPath,

    /// <summary>The verifier's bundle source has no X.509 bundle for the leaf's trust domain.</summary>
    BundleNotFound,

    /// <summary>The trust domain's X.509 bundle holds no authority, so it trusts no SVID.</summary>
    EmptyBundle,

    /// <summary>A certificate in the path has expired at the verification time (RFC 5280 §6.1.3).</summary>
    Expired,

    /// <summary>A certificate in the path is not yet valid at the verification time (RFC 5280 §6.1.3).</summary>
    NotYetValid,

    /// <summary>No path leads from the leaf to an authority in the trust domain's bundle (X509-SVID §5.1).</summary>
    UnknownAuthority,

    /// <summary>A signature in the path does not verify (RFC 5280 §6.1.3).</summary>
    BadSignature,

    /// <summary>RFC 5280 path validation failed for another reason (basic constraints, name constraints, critical extensions...).</summary>
    InvalidPath,
}
