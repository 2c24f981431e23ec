using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Bundles.Internal;

/// <summary>Reads and writes the JWK Set form of a SPIFFE bundle (SPIFFE Trust Domain and Bundle §4).</summary>
internal static class SpiffeBundleReader
{
    /// <summary>Reads a bundle from a parsed JSON element (already checked for duplicate names).</summary>
    public static SpiffeBundle Read(TrustDomain trustDomain, JsonElement root, string what)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{what} must be a JSON object (a JWK Set), not {root.ValueKind}");
        }

        // §4.1.3: "keys" MUST be present; it may be empty (the trust domain revoked all its keys).
        if (!root.TryGetProperty("keys", out var keys))
        {
            throw new FormatException($"{what} has no 'keys' member (required by SPIFFE bundle §4.1.3)");
        }

        if (keys.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{what}: 'keys' must be an array, not {keys.ValueKind}");
        }

        var certificates = new List<X509Certificate2>();
        var authorities = new List<JwtAuthority>();
        var index = 0;
        foreach (var entry in keys.EnumerateArray())
        {
            ReadEntry(entry, $"{what}: keys[{index}]", certificates, authorities);
            index++;
        }

        return new SpiffeBundle(
            trustDomain,
            new X509Bundle(trustDomain, certificates),
            new JwtBundle(trustDomain, authorities),
            ReadSequence(root, what),
            ReadRefreshHint(root, what));
    }

    /// <summary>Writes an <c>x509-svid</c> entry: the key members, the use and the certificate in x5c.</summary>
    public static void WriteX509Entry(Utf8JsonWriter writer, X509Certificate2 certificate)
    {
        writer.WriteStartObject();
        using (var key = (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey() ?? certificate.GetRSAPublicKey())
        {
            if (key is null)
            {
                throw new InvalidOperationException($"the X.509 authority '{certificate.Subject}' has a key that is neither ECDSA nor RSA; it cannot be written as a JWK");
            }

            try
            {
                JwkCodec.WritePublicKey(writer, key);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidOperationException($"the X.509 authority '{certificate.Subject}': {ex.Message}", ex);
            }
        }

        writer.WriteString("use", SpiffeBundle.X509SvidUse);
        writer.WriteStartArray("x5c");
        writer.WriteBase64StringValue(certificate.RawData);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void ReadEntry(JsonElement entry, string what, List<X509Certificate2> certificates, List<JwtAuthority> authorities)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{what} must be a JSON object (a JWK), not {entry.ValueKind}");
        }

        // §4.2.2: a missing or unknown use means the entry is for someone else: ignore it. Values are case
        // sensitive, so "JWT-SVID" is unknown too.
        var use = OptionalString(entry, "use");
        if (use is not (SpiffeBundle.X509SvidUse or SpiffeBundle.JwtSvidUse))
        {
            return;
        }

        // §4.2.1: an unknown key type is ignored; a missing one is treated the same way (the key cannot be
        // used either way, and the spec forbids requiring more than it defines).
        var kty = OptionalString(entry, "kty");
        if (!JwkCodec.IsKnownKeyType(kty))
        {
            return;
        }

        if (use == SpiffeBundle.X509SvidUse)
        {
            ReadX509Entry(entry, kty!, what, certificates);
        }
        else
        {
            var authority = JwtAuthority.FromJwk(entry, kty!, what);
            if (authorities.Exists(a => string.Equals(a.KeyId, authority.KeyId, StringComparison.Ordinal)))
            {
                // Two keys under one kid: which one verifies a token would depend on the reader (§6.3's concern).
                throw new FormatException($"{what}: the kid '{StrictJson.Printable(authority.KeyId)}' appears in more than one jwt-svid entry");
            }

            authorities.Add(authority);
        }
    }

    private static void ReadX509Entry(JsonElement entry, string kty, string what, List<X509Certificate2> certificates)
    {
        // X509-SVID §6.2: no x5c, or an empty one, means the entry is ignored; only the first value counts.
        if (!entry.TryGetProperty("x5c", out var x5c))
        {
            return;
        }

        if (x5c.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{what}: 'x5c' must be an array of base64 certificates, not {x5c.ValueKind}");
        }

        if (x5c.GetArrayLength() == 0)
        {
            return;
        }

        var first = x5c[0];
        if (first.ValueKind != JsonValueKind.String || !first.TryGetBytesFromBase64(out var der) || der.Length == 0)
        {
            // RFC 7517 §4.7: x5c values are standard base64 (not base64url) DER.
            throw new FormatException($"{what}: x5c[0] is not a base64 (RFC 7517 §4.7) DER certificate");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            throw new FormatException($"{what}: x5c[0] is not a valid DER certificate");
        }

        // The certificate's key must be of the entry's kty and well formed (X.509 parsing is lazy, so a
        // corrupt key would otherwise surface later, in whoever reads it). The JWK's own key members, when
        // present, must describe that same key: a mismatch means the entry was assembled wrongly or tampered
        // with, and readers using either part would disagree.
        var problem = CertificateKeyProblem(certificate, kty);
        if (problem is null && JwkCodec.HasKeyMembers(entry, kty)
            && !JwkCodec.ReadPublicKey(entry, kty, what).AsSpan().SequenceEqual(certificate.PublicKey.ExportSubjectPublicKeyInfo()))
        {
            problem = "the JWK public key does not match the public key of the x5c[0] certificate";
        }

        if (problem is not null)
        {
            certificate.Dispose();
            throw new FormatException($"{what}: {problem}");
        }

        certificates.Add(certificate);
    }

    private static string? CertificateKeyProblem(X509Certificate2 certificate, string kty)
    {
        try
        {
            using var key = kty == JwkCodec.EcKeyType ? (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey() : certificate.GetRSAPublicKey();
            if (key is null)
            {
                return $"the x5c[0] certificate does not hold an {kty} key, as the entry's kty says";
            }

            return key is ECDsa ec && EcCurves.NameOf(ec) is null ? "the x5c[0] certificate's EC key is not on P-256, P-384 or P-521" : null;
        }
        catch (CryptographicException)
        {
            return "the x5c[0] certificate's public key is malformed";
        }
    }

    private static ulong? ReadSequence(JsonElement root, string what)
    {
        if (!root.TryGetProperty("spiffe_sequence", out var value))
        {
            return null;
        }

        // §4.1.1: an integer with at least 64 bits of precision; it is monotonically increasing from 0.
        return value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var sequence)
            ? sequence
            : throw new FormatException($"{what}: 'spiffe_sequence' must be an integer from 0 to {ulong.MaxValue} (§4.1.1)");
    }

    private static TimeSpan? ReadRefreshHint(JsonElement root, string what)
    {
        if (!root.TryGetProperty("spiffe_refresh_hint", out var value))
        {
            return null;
        }

        // §4.1.2: an integer number of seconds. TimeSpan holds up to ~29,000 years of seconds.
        const long maxSeconds = long.MaxValue / TimeSpan.TicksPerSecond;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) && seconds is >= 0 and <= maxSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new FormatException($"{what}: 'spiffe_refresh_hint' must be a whole number of seconds from 0 to {maxSeconds} (§4.1.2)");
    }

    private static string? OptionalString(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
