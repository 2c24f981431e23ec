using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tessera.Spiffe.Bundles.Internal;

namespace Tessera.Spiffe.Bundles;

/// <summary>
/// A JWT-SVID signing key of a trust domain: its key ID (<c>kid</c>) and public key, ECDSA on P-256, P-384
/// or P-521, or RSA (JWT-SVID §6.1). Immutable; safe to share between threads.
/// </summary>
/// <remarks>
/// The key is held as SubjectPublicKeyInfo bytes rather than as an <see cref="AsymmetricAlgorithm"/>
/// instance, because those are mutable and disposable: <see cref="CreatePublicKey"/> hands out a fresh
/// instance that the caller owns. Signature checks inside the library borrow an imported key from a small pool
/// instead (importing costs about as much as verifying), one caller per key instance at a time.
/// </remarks>
public sealed class JwtAuthority : IEquatable<JwtAuthority>
{
    private static readonly int MaxPooledKeys = Math.Max(2, Environment.ProcessorCount * 2);
    private readonly byte[] _subjectPublicKeyInfo;
    private readonly ConcurrentBag<AsymmetricAlgorithm> _verificationKeys = [];

    /// <summary>Creates an authority from a key ID and the public part of <paramref name="key"/> (ECDsa or RSA).</summary>
    /// <exception cref="ArgumentException">The key ID is empty, or the key is not RSA or ECDSA on P-256/384/521.</exception>
    public JwtAuthority(string keyId, AsymmetricAlgorithm key)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(key);
        switch (key)
        {
            case ECDsa ec:
                Curve = EcCurves.NameOf(ec)
                    ?? throw new ArgumentException("only ECDSA keys on P-256, P-384 and P-521 can sign JWT-SVIDs (RFC 7518 §3.4)", nameof(key));
                KeyType = JwkCodec.EcKeyType;
                break;
            case RSA:
                KeyType = JwkCodec.RsaKeyType;
                break;
            default:
                throw new ArgumentException($"a {key.GetType().Name} key cannot sign JWT-SVIDs; use ECDsa or RSA", nameof(key));
        }

        KeyId = keyId;
        _subjectPublicKeyInfo = key.ExportSubjectPublicKeyInfo();
        KeySize = key.KeySize;
    }

    /// <summary>Gets the key ID, the <c>kid</c> that JWT-SVIDs signed by this key carry.</summary>
    public string KeyId { get; }

    /// <summary>Gets the JWK key type: <c>EC</c> or <c>RSA</c>.</summary>
    public string KeyType { get; }

    /// <summary>Gets the JWK curve name (<c>P-256</c>, <c>P-384</c>, <c>P-521</c>) of an EC key; null for RSA.</summary>
    public string? Curve { get; }

    /// <summary>Gets the key size in bits (the modulus size for RSA).</summary>
    public int KeySize { get; }

    /// <summary>Returns the public key as SubjectPublicKeyInfo DER (a copy).</summary>
    public byte[] ExportSubjectPublicKeyInfo() => (byte[])_subjectPublicKeyInfo.Clone();

    /// <summary>Creates a new <see cref="ECDsa"/> or <see cref="RSA"/> instance holding the public key; the caller disposes it.</summary>
    public AsymmetricAlgorithm CreatePublicKey() => JwkCodec.ImportPublicKey(_subjectPublicKeyInfo, KeyType);

    /// <summary>
    /// Runs <paramref name="use"/> with the public key imported once and pooled: the instance is used by one caller
    /// at a time (AsymmetricAlgorithm instances are not documented thread-safe) and returned to the pool afterwards.
    /// </summary>
    internal TResult WithPublicKey<TState, TResult>(TState state, Func<AsymmetricAlgorithm, TState, TResult> use)
    {
        var key = _verificationKeys.TryTake(out var pooled) ? pooled : CreatePublicKey();
        try
        {
            return use(key, state);
        }
        finally
        {
            if (_verificationKeys.Count < MaxPooledKeys)
            {
                _verificationKeys.Add(key);
            }
            else
            {
                key.Dispose();
            }
        }
    }

    /// <summary>Returns the JWK of this authority as SPIFFE bundles publish it: kty, kid, use <c>jwt-svid</c> and the key members.</summary>
    public string ToJwk()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteJwk(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Creates an authority from a JWK (EC or RSA) that carries a <c>kid</c>.</summary>
    /// <exception cref="FormatException">The JWK is malformed, has no kid, or has an unsupported key type.</exception>
    public static JwtAuthority FromJwk(ReadOnlySpan<byte> json)
    {
        using var document = StrictJson.Parse(json, "JWK");
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("JWK must be a JSON object");
        }

        var kty = root.TryGetProperty("kty", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        if (!JwkCodec.IsKnownKeyType(kty))
        {
            throw new FormatException($"JWK key type '{StrictJson.Printable(kty ?? string.Empty)}' is not supported; expected EC or RSA");
        }

        return FromJwk(root, kty!, "JWK");
    }

    /// <summary>Reads an authority from a JWK element already known to have kty EC or RSA.</summary>
    internal static JwtAuthority FromJwk(JsonElement jwk, string kty, string what)
    {
        if (!jwk.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String || kid.GetString()!.Length == 0)
        {
            // JWT-SVID §6.1: the kid of every jwt-svid entry MUST be set; validators look keys up by it.
            throw new FormatException($"{what}: a jwt-svid key must have a non-empty string 'kid' (JWT-SVID §6.1)");
        }

        var spki = JwkCodec.ReadPublicKey(jwk, kty, what);
        using var key = JwkCodec.ImportPublicKey(spki, kty);
        return new JwtAuthority(kid.GetString()!, key);
    }

    /// <summary>Writes this authority's JWK object.</summary>
    internal void WriteJwk(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        using (var key = CreatePublicKey())
        {
            JwkCodec.WritePublicKey(writer, key);
        }

        writer.WriteString("kid", KeyId);
        writer.WriteString("use", SpiffeBundle.JwtSvidUse);
        writer.WriteEndObject();
    }

    /// <summary>Returns whether both authorities have the same key ID and public key.</summary>
    public bool Equals(JwtAuthority? other) =>
        other is not null
        && string.Equals(KeyId, other.KeyId, StringComparison.Ordinal)
        && _subjectPublicKeyInfo.AsSpan().SequenceEqual(other._subjectPublicKeyInfo);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as JwtAuthority);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(KeyId);

    /// <summary>Returns the key ID and key type, e.g. <c>kid1 (EC P-256)</c>.</summary>
    public override string ToString() => Curve is null ? $"{KeyId} (RSA {KeySize})" : $"{KeyId} (EC {Curve})";
}
