using System.Security.Cryptography;
using Tessera.Spiffe.Bundles;

namespace Tessera.Spiffe.Jwt.Internal;

/// <summary>The JWT-SVID algorithms (JWT-SVID §2.1): names, key requirements, signing and verification.</summary>
internal static class JwsAlgorithms
{
    /// <summary>RFC 7518 §3.3 and §3.5: RSA keys must be at least 2048 bits.</summary>
    public const int MinRsaKeySize = 2048;

    /// <summary>The allowed <c>alg</c> values, for error messages.</summary>
    public const string AllowedList = "RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512";

    /// <summary>Maps an <c>alg</c> header to an algorithm; exact, case-sensitive (RFC 7515 §4.1.1).</summary>
    public static bool TryParse(string name, out JwtSvidAlgorithm algorithm)
    {
        JwtSvidAlgorithm? parsed = name switch
        {
            "ES256" => JwtSvidAlgorithm.ES256,
            "ES384" => JwtSvidAlgorithm.ES384,
            "ES512" => JwtSvidAlgorithm.ES512,
            "RS256" => JwtSvidAlgorithm.RS256,
            "RS384" => JwtSvidAlgorithm.RS384,
            "RS512" => JwtSvidAlgorithm.RS512,
            "PS256" => JwtSvidAlgorithm.PS256,
            "PS384" => JwtSvidAlgorithm.PS384,
            "PS512" => JwtSvidAlgorithm.PS512,
            _ => null,
        };
        algorithm = parsed.GetValueOrDefault();
        return parsed.HasValue;
    }

    /// <summary>Returns the JOSE <c>alg</c> name.</summary>
    public static string Name(JwtSvidAlgorithm algorithm) => algorithm switch
    {
        JwtSvidAlgorithm.ES256 => "ES256",
        JwtSvidAlgorithm.ES384 => "ES384",
        JwtSvidAlgorithm.ES512 => "ES512",
        JwtSvidAlgorithm.RS256 => "RS256",
        JwtSvidAlgorithm.RS384 => "RS384",
        JwtSvidAlgorithm.RS512 => "RS512",
        JwtSvidAlgorithm.PS256 => "PS256",
        JwtSvidAlgorithm.PS384 => "PS384",
        JwtSvidAlgorithm.PS512 => "PS512",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "not a JWT-SVID algorithm"),
    };

    /// <summary>Returns the JOSE curve an ES algorithm requires, or null for RSA algorithms.</summary>
    public static string? RequiredCurve(JwtSvidAlgorithm algorithm) => algorithm switch
    {
        JwtSvidAlgorithm.ES256 => "P-256",
        JwtSvidAlgorithm.ES384 => "P-384",
        JwtSvidAlgorithm.ES512 => "P-521",
        _ => null,
    };

    /// <summary>Returns the ES algorithm that goes with a JOSE curve name.</summary>
    public static JwtSvidAlgorithm ForCurve(string curve) => curve switch
    {
        "P-256" => JwtSvidAlgorithm.ES256,
        "P-384" => JwtSvidAlgorithm.ES384,
        _ => JwtSvidAlgorithm.ES512,
    };

    /// <summary>
    /// Returns why a key (type, curve, size) cannot be used with <paramref name="algorithm"/>, or null when it can.
    /// Binding the algorithm to the key type, curve and size blocks algorithm-confusion attacks, where a token
    /// names an algorithm its signer never used with that key.
    /// </summary>
    public static string? KeyProblem(JwtSvidAlgorithm algorithm, string keyType, string? curve, int keySize)
    {
        var name = Name(algorithm);
        if (RequiredCurve(algorithm) is { } required)
        {
            return curve == required ? null : $"{name} needs an EC {required} key, but the key is {Describe(keyType, curve, keySize)}";
        }

        if (curve is not null)
        {
            return $"{name} needs an RSA key, but the key is {Describe(keyType, curve, keySize)}";
        }

        return keySize >= MinRsaKeySize ? null : $"{name} needs an RSA key of at least {MinRsaKeySize} bits (RFC 7518 §3.3), but the key has {keySize}";
    }

    /// <summary>Returns the size of an ES signature (IEEE P1363 r||s, RFC 7518 §3.4), or null for RSA algorithms.</summary>
    public static int? EcSignatureSize(JwtSvidAlgorithm algorithm) => algorithm switch
    {
        JwtSvidAlgorithm.ES256 => 64,
        JwtSvidAlgorithm.ES384 => 96,
        JwtSvidAlgorithm.ES512 => 132,
        _ => null,
    };

    /// <summary>Verifies a signature; false on any failure.</summary>
    public static bool Verify(JwtSvidAlgorithm algorithm, JwtAuthority authority, byte[] signingInput, byte[] signature)
    {
        try
        {
            return authority.WithPublicKey((algorithm, signingInput, signature), static (key, s) => key switch
            {
                ECDsa ec => ec.VerifyData(s.signingInput, s.signature, Hash(s.algorithm), DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                RSA rsa => rsa.VerifyData(s.signingInput, s.signature, Hash(s.algorithm), Padding(s.algorithm)),
                _ => false,
            });
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Signs <paramref name="signingInput"/> with a private key that fits <paramref name="algorithm"/>.</summary>
    public static byte[] Sign(JwtSvidAlgorithm algorithm, AsymmetricAlgorithm key, byte[] signingInput) => key switch
    {
        ECDsa ec => ec.SignData(signingInput, Hash(algorithm), DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        RSA rsa => rsa.SignData(signingInput, Hash(algorithm), Padding(algorithm)),
        _ => throw new ArgumentException("only ECDsa and RSA keys can sign JWT-SVIDs", nameof(key)),
    };

    private static HashAlgorithmName Hash(JwtSvidAlgorithm algorithm) => algorithm switch
    {
        JwtSvidAlgorithm.ES256 or JwtSvidAlgorithm.RS256 or JwtSvidAlgorithm.PS256 => HashAlgorithmName.SHA256,
        JwtSvidAlgorithm.ES384 or JwtSvidAlgorithm.RS384 or JwtSvidAlgorithm.PS384 => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    // RFC 7518 §3.5: PSS with MGF1 of the same hash and a salt as long as the hash, which is what
    // RSASignaturePadding.Pss uses.
    private static RSASignaturePadding Padding(JwtSvidAlgorithm algorithm) =>
        algorithm is JwtSvidAlgorithm.PS256 or JwtSvidAlgorithm.PS384 or JwtSvidAlgorithm.PS512
            ? RSASignaturePadding.Pss
            : RSASignaturePadding.Pkcs1;

    private static string Describe(string keyType, string? curve, int keySize) =>
        curve is null ? $"{keyType} {keySize}" : $"{keyType} {curve}";
}
