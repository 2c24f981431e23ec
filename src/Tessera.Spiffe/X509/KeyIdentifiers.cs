using System.Security.Cryptography.X509Certificates;

namespace Tessera.Spiffe.X509;

/// <summary>
/// Reads a certificate's key identifiers (RFC 5280 §4.2.1.1, §4.2.1.2) as upper-case hex, the form Tessera names CA
/// keys in: an X509-SVID's authority key identifier is its signing CA's subject key identifier.
/// </summary>
public static class KeyIdentifiers
{
    /// <summary>Returns the subject key identifier of <paramref name="certificate"/>, or null when it has none.</summary>
    public static string? Subject(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifier?.ToUpperInvariant();
    }

    /// <summary>Returns the key identifier of <paramref name="certificate"/>'s authority key identifier, or null when it has none.</summary>
    public static string? Authority(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier is { } id
            ? Convert.ToHexString(id.Span)
            : null;
    }
}
