using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Tessera.Spiffe.Jwt;

namespace Tessera.Spiffe.AspNetCore.Internal;

/// <summary>
/// Enforces a JWT-SVID's confirmation claim (RFC 7800 <c>cnf</c>) with the certificate-bound profile of RFC 8705
/// §3: the token is accepted only from the holder of the client certificate whose SHA-256 thumbprint it names.
/// </summary>
internal static class CertificateBinding
{
    public const string X5tS256 = "x5t#S256";

    /// <summary>Returns why <paramref name="svid"/> may not be used on a connection with <paramref name="clientCertificate"/>, or null when it may.</summary>
    /// <param name="svid">A token whose signature and claims were validated.</param>
    /// <param name="clientCertificate">The client certificate of the TLS connection, or null.</param>
    /// <param name="requireBound">Whether an unbound token is refused.</param>
    public static JwtRefusal? Check(JwtSvid svid, X509Certificate2? clientCertificate, bool requireBound)
    {
        if (!svid.Claims.TryGetProperty("cnf", out var cnf))
        {
            return requireBound
                ? new JwtRefusal("NotCertificateBound", "the token is not bound to a client certificate", $"token of {svid.Id} has no cnf claim, and certificate-bound tokens are required")
                : null;
        }

        if (cnf.ValueKind != JsonValueKind.Object)
        {
            return Malformed(svid, "cnf is not a JSON object");
        }

        // Fail closed on every confirmation method but x5t#S256 (jkt, jwk, jwe, jku, ...): a member this code does not
        // understand is a constraint the issuer meant to apply, and ignoring it would turn the token back into a
        // bearer secret.
        byte[]? expected = null;
        foreach (var member in cnf.EnumerateObject())
        {
            if (!string.Equals(member.Name, X5tS256, StringComparison.Ordinal))
            {
                return new JwtRefusal("UnsupportedConfirmation", "the token's confirmation method is not supported (only cnf.x5t#S256 is)", $"token of {svid.Id} has a cnf member other than x5t#S256");
            }

            if (member.Value.ValueKind != JsonValueKind.String || !TryDecodeThumbprint(member.Value.GetString()!, out expected))
            {
                return Malformed(svid, "cnf.x5t#S256 is not the base64url encoding of 32 bytes");
            }
        }

        if (expected is null)
        {
            return Malformed(svid, "cnf has no member");
        }

        if (clientCertificate is null)
        {
            return new JwtRefusal("CertificateRequired", "token is bound to a client certificate; none was presented", $"token of {svid.Id} is bound to certificate {Base64Url.EncodeToString(expected)}, and the connection has no client certificate");
        }

        var presented = clientCertificate.GetCertHash(HashAlgorithmName.SHA256);
        return CryptographicOperations.FixedTimeEquals(presented, expected)
            ? null
            : new JwtRefusal("CertificateMismatch", "token is bound to a client certificate that does not match the presented certificate", $"token of {svid.Id} is bound to certificate {Base64Url.EncodeToString(expected)}, but the client presented {Base64Url.EncodeToString(presented)}");
    }

    private static JwtRefusal Malformed(JwtSvid svid, string what) =>
        new("MalformedConfirmation", "the token's confirmation (cnf) claim is malformed", $"token of {svid.Id}: {what}");

    private static bool TryDecodeThumbprint(string text, out byte[]? thumbprint)
    {
        thumbprint = null;

        // SHA-256 is 32 bytes: 43 base64url characters without padding (RFC 8705 §3.1).
        if (text.Length != 43 || !Base64Url.IsValid(text))
        {
            return false;
        }

        thumbprint = Base64Url.DecodeFromChars(text);
        return thumbprint.Length == 32;
    }
}
