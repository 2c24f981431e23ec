using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Spiffe.X509.Internal;

/// <summary>
/// The messages that go with each <see cref="X509SvidError"/>. Tests assert them exactly, so they are
/// part of the contract. Certificates are numbered from 1 (the leaf) in the order they were presented.
/// </summary>
internal static class X509SvidErrors
{
    public const string EmptyChain = "chain contains no certificate; an X509-SVID needs at least the leaf certificate";
    public const string MissingUriSan = "certificate contains no URI SAN; an X509-SVID must contain exactly one (X509-SVID §2)";
    public const string LeafIsCa = "leaf certificate has basic constraints cA=true; a leaf X509-SVID must have cA=false (X509-SVID §4.1, §5.2)";
    public const string LeafMissingKeyUsage = "leaf certificate has no key usage extension; it must be present and critical (X509-SVID §4.3)";
    public const string LeafKeyUsageNotCritical = "leaf certificate's key usage extension is not critical; it must be marked critical (X509-SVID §4.3)";
    public const string LeafMissingDigitalSignature = "leaf certificate's key usage lacks digitalSignature, which a leaf X509-SVID must set (X509-SVID §4.3)";
    public const string LeafHasKeyCertSign = "leaf certificate's key usage sets keyCertSign, which a leaf X509-SVID must not set (X509-SVID §4.3, §5.2)";
    public const string LeafHasCrlSign = "leaf certificate's key usage sets cRLSign, which a leaf X509-SVID must not set (X509-SVID §4.3, §5.2)";
    public const string PlatformFailure = "certificate path cannot be processed by the platform's X.509 validator";

    public static string EmptyBundle(string trustDomain) =>
        $"X.509 bundle for trust domain '{trustDomain}' holds no authority; it trusts no X509-SVID";

    public static string BundleNotFound(string trustDomain) =>
        $"no X.509 bundle found for trust domain '{trustDomain}'";

    public static string UnknownAuthority(string trustDomain) =>
        $"certificate chain does not lead to an authority in the X.509 bundle of trust domain '{trustDomain}'";

    // Positions below are in the path as built by path validation (leaf = 1, anchor last).
    public static string BadSignature(int index) =>
        $"the signature of certificate {index} of the path does not verify";

    public static string NotYetValid(int index, DateTimeOffset notBefore, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"certificate {index} of the path is not valid before {notBefore:O}; verification time is {at.ToUniversalTime():O}");

    public static string Expired(int index, DateTimeOffset notAfter, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"certificate {index} of the path expired at {notAfter:O}; verification time is {at.ToUniversalTime():O}");

    public static string InvalidPath(X509ChainStatusFlags flags) =>
        $"certificate path is invalid (RFC 5280 §6): {flags}";

    public static string MultipleUriSans(int count) =>
        $"certificate contains {count} URI SANs; an X509-SVID must contain exactly one (X509-SVID §2, §5.2)";

    public static string InvalidSpiffeId(string parseError) =>
        $"URI SAN is not a valid SPIFFE ID: {parseError}";

    public static string LeafIdWithoutPath(string id) =>
        $"leaf SPIFFE ID '{id}' has no path; a leaf X509-SVID must have a non-root path (X509-SVID §3.1, §5.2)";

    public static string Malformed(int index, string what) =>
        $"certificate {index} is malformed: {what}";

    public static string SigningCertificateNotCa(int index) =>
        $"certificate {index} signs the chain but does not have basic constraints cA=true (X509-SVID §3.2, §4.1)";

    public static string SigningCertificateMissingKeyCertSign(int index) =>
        $"certificate {index} signs the chain but its key usage lacks keyCertSign (X509-SVID §3.2, §4.3)";

    public static string SigningCertificateIdWithPath(int index, string id) =>
        $"certificate {index} signs the chain but its SPIFFE ID '{id}' has a path; a signing certificate's ID must not (X509-SVID §3.2)";

    public static string SigningCertificateInvalidId(int index, string parseError) =>
        $"certificate {index} has a URI SAN that is not a valid SPIFFE ID: {parseError}";
}
