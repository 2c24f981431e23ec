using System.Security.Cryptography.X509Certificates;

namespace Tessera.Cli.Drill.Rotation;

/// <summary>Which CA key signed a certificate, and which key a CA certificate holds (key identifiers, hex).</summary>
internal static class CaKeyIds
{
    /// <summary>Returns the authority key identifier of <paramref name="leaf"/> (the signing CA key), or its issuer name.</summary>
    public static string SignedBy(X509Certificate2 leaf) =>
        leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier is { } id
            ? Convert.ToHexString(id.Span)
            : leaf.Issuer;

    /// <summary>Returns the subject key identifier of <paramref name="ca"/>, or its subject name.</summary>
    public static string Of(X509Certificate2 ca) =>
        ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifier is { } id
            ? id.ToUpperInvariant()
            : ca.Subject;
}
