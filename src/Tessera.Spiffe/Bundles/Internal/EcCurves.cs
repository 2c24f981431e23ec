using System.Security.Cryptography;

namespace Tessera.Spiffe.Bundles.Internal;

/// <summary>The NIST curves JOSE names (RFC 7518 §6.2.1.1) and their sizes.</summary>
internal static class EcCurves
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";
    private const string P521Oid = "1.3.132.0.35";

    /// <summary>Returns the curve of a JOSE <c>crv</c> name, or null when unsupported.</summary>
    public static ECCurve? FromName(string crv) => crv switch
    {
        "P-256" => ECCurve.NamedCurves.nistP256,
        "P-384" => ECCurve.NamedCurves.nistP384,
        "P-521" => ECCurve.NamedCurves.nistP521,
        _ => null,
    };

    /// <summary>Returns the byte length of one coordinate on the named curve (P-521 rounds 521 bits up to 66 bytes).</summary>
    public static int CoordinateSize(string crv) => crv switch
    {
        "P-256" => 32,
        "P-384" => 48,
        _ => 66,
    };

    /// <summary>Returns the JOSE name of <paramref name="curve"/>, or null when it is not P-256, P-384 or P-521.</summary>
    public static string? NameOf(ECCurve curve)
    {
        if (!curve.IsNamed || curve.Oid is null)
        {
            return null;
        }

        // Depending on the platform the OID value or only the friendly name is filled in.
        return (curve.Oid.Value, curve.Oid.FriendlyName) switch
        {
            (P256Oid, _) or (_, "nistP256" or "ECDSA_P256" or "secp256r1" or "prime256v1") => "P-256",
            (P384Oid, _) or (_, "nistP384" or "ECDSA_P384" or "secp384r1") => "P-384",
            (P521Oid, _) or (_, "nistP521" or "ECDSA_P521" or "secp521r1") => "P-521",
            _ => null,
        };
    }

    /// <summary>Returns the JOSE curve name of an ECDSA key, or null when the curve is unsupported.</summary>
    public static string? NameOf(ECDsa key) => NameOf(key.ExportParameters(includePrivateParameters: false).Curve);
}
