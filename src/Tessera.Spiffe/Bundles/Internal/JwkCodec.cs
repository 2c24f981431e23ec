using System.Security.Cryptography;
using System.Text.Json;

namespace Tessera.Spiffe.Bundles.Internal;

/// <summary>
/// Reads and writes the public-key members of EC and RSA JWKs (RFC 7518 §6.2, §6.3). Every failure on
/// read is a <see cref="FormatException"/> naming the member.
/// </summary>
internal static class JwkCodec
{
    /// <summary>The <c>kty</c> of elliptic-curve keys.</summary>
    public const string EcKeyType = "EC";

    /// <summary>The <c>kty</c> of RSA keys.</summary>
    public const string RsaKeyType = "RSA";

    /// <summary>Returns whether Tessera understands the key type; other types are ignored (SPIFFE bundle §4.2.1).</summary>
    public static bool IsKnownKeyType(string? kty) => kty is EcKeyType or RsaKeyType;

    /// <summary>Returns whether the JWK carries the public-key members of <paramref name="kty"/> at all.</summary>
    public static bool HasKeyMembers(JsonElement jwk, string kty) => kty == EcKeyType
        ? jwk.TryGetProperty("crv", out _) || jwk.TryGetProperty("x", out _) || jwk.TryGetProperty("y", out _)
        : jwk.TryGetProperty("n", out _) || jwk.TryGetProperty("e", out _);

    /// <summary>Reads the public key of a JWK whose <c>kty</c> is EC or RSA, as SubjectPublicKeyInfo DER.</summary>
    /// <exception cref="FormatException">A member is missing, not canonical base64url, of the wrong length, or the key is invalid.</exception>
    public static byte[] ReadPublicKey(JsonElement jwk, string kty, string what) =>
        kty == EcKeyType ? ReadEc(jwk, what) : ReadRsa(jwk, what);

    /// <summary>Writes <c>kty</c> and the public-key members of <paramref name="key"/> (EC P-256/384/521 or RSA).</summary>
    /// <exception cref="ArgumentException">The key is neither RSA nor ECDSA on a supported curve.</exception>
    public static void WritePublicKey(Utf8JsonWriter writer, AsymmetricAlgorithm key)
    {
        switch (key)
        {
            case ECDsa ec:
                var p = ec.ExportParameters(includePrivateParameters: false);
                var curve = EcCurves.NameOf(p.Curve)
                    ?? throw new ArgumentException("only ECDSA keys on P-256, P-384 and P-521 can be written as a JWK", nameof(key));
                writer.WriteString("kty", EcKeyType);
                writer.WriteString("crv", curve);
                writer.WriteString("x", Base64UrlStrict.Encode(p.Q.X));
                writer.WriteString("y", Base64UrlStrict.Encode(p.Q.Y));
                break;
            case RSA rsa:
                var r = rsa.ExportParameters(includePrivateParameters: false);
                writer.WriteString("kty", RsaKeyType);
                writer.WriteString("n", Base64UrlStrict.Encode(TrimLeadingZeros(r.Modulus)));
                writer.WriteString("e", Base64UrlStrict.Encode(TrimLeadingZeros(r.Exponent)));
                break;
            default:
                throw new ArgumentException($"a {key.GetType().Name} key cannot be written as a JWK; use ECDsa or RSA", nameof(key));
        }
    }

    /// <summary>Imports SubjectPublicKeyInfo DER as an <see cref="ECDsa"/> or <see cref="RSA"/> the caller owns.</summary>
    public static AsymmetricAlgorithm ImportPublicKey(byte[] spki, string kty)
    {
        AsymmetricAlgorithm key = kty == EcKeyType ? ECDsa.Create() : RSA.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(spki, out _);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static byte[] ReadEc(JsonElement jwk, string what)
    {
        var crv = RequiredString(jwk, "crv", what);
        var curve = EcCurves.FromName(crv)
            ?? throw new FormatException($"{what}: EC curve '{StrictJson.Printable(crv)}' is not supported; expected P-256, P-384 or P-521");

        // RFC 7518 §6.2.1.2/3: x and y are the full-length coordinates, padded with leading zeros.
        var size = EcCurves.CoordinateSize(crv);
        var parameters = new ECParameters
        {
            Curve = curve,
            Q = new ECPoint { X = Coordinate(jwk, "x", size, crv, what), Y = Coordinate(jwk, "y", size, crv, what) },
        };
        try
        {
            using var ec = ECDsa.Create(parameters);
            return ec.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException)
        {
            throw new FormatException($"{what}: the EC point (x, y) is not on curve {crv}");
        }
    }

    private static byte[] ReadRsa(JsonElement jwk, string what)
    {
        // RFC 7518 §6.3.1 asks producers for the minimal octets; leading zeros are tolerated and removed
        // because they do not change the key, only its spelling.
        var n = TrimLeadingZeros(RequiredBytes(jwk, "n", what));
        var e = TrimLeadingZeros(RequiredBytes(jwk, "e", what));
        if (n.Length == 0 || e.Length == 0)
        {
            throw new FormatException($"{what}: RSA member '{(n.Length == 0 ? "n" : "e")}' is zero");
        }

        if (e.Length > 8)
        {
            throw new FormatException($"{what}: RSA exponent 'e' is {e.Length} bytes; at most 8 are supported");
        }

        try
        {
            using var rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters { Modulus = n, Exponent = e });
            return rsa.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException)
        {
            throw new FormatException($"{what}: the RSA key (n, e) is not valid");
        }
    }

    private static byte[] Coordinate(JsonElement jwk, string name, int size, string crv, string what)
    {
        var bytes = RequiredBytes(jwk, name, what);
        return bytes.Length == size
            ? bytes
            : throw new FormatException($"{what}: EC member '{name}' is {bytes.Length} bytes; {crv} needs exactly {size}");
    }

    private static string RequiredString(JsonElement jwk, string name, string what)
    {
        if (!jwk.TryGetProperty(name, out var value))
        {
            throw new FormatException($"{what}: member '{name}' is missing");
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"{what}: member '{name}' must be a string, not {value.ValueKind}");
    }

    private static byte[] RequiredBytes(JsonElement jwk, string name, string what) =>
        Base64UrlStrict.TryDecode(RequiredString(jwk, name, what), out var bytes)
            ? bytes
            : throw new FormatException($"{what}: member '{name}' is not unpadded base64url");

    private static byte[] TrimLeadingZeros(byte[]? bytes)
    {
        if (bytes is null)
        {
            return [];
        }

        var start = 0;
        while (start < bytes.Length && bytes[start] == 0)
        {
            start++;
        }

        return start == 0 ? bytes : bytes[start..];
    }
}
