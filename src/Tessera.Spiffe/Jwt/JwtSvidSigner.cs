using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Bundles.Internal;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt.Internal;

namespace Tessera.Spiffe.Jwt;

/// <summary>
/// Mints JWT-SVIDs with one private key: header <c>{alg, kid, typ: JWT}</c> and claims sub, aud, exp, iat,
/// optional jti and extra claims. Thread-safe; it does not own (or dispose) the key.
/// </summary>
public sealed class JwtSvidSigner
{
    private static readonly HashSet<string> RegisteredClaims = new(StringComparer.Ordinal) { "sub", "aud", "exp", "iat", "nbf", "jti" };

    private readonly AsymmetricAlgorithm _key;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _sync = new();
    private readonly string _encodedHeader;

    /// <summary>
    /// Creates a signer for a private ECDSA (P-256/384/521) or RSA (2048 bits or more) key. The algorithm
    /// defaults to the one that fits the key: ES256/ES384/ES512 by curve, RS256 for RSA.
    /// </summary>
    /// <param name="privateKey">The signing key; the signer uses it but does not own or dispose it.</param>
    /// <param name="keyId">The key ID (<c>kid</c>) under which the public key is published in the JWT bundle.</param>
    /// <param name="algorithm">The algorithm, or null for the one that fits the key.</param>
    /// <param name="timeProvider">The clock for <see cref="Mint(SpiffeId, IEnumerable{string}, TimeSpan, string?, IReadOnlyDictionary{string, JsonElement}?)"/>; the system clock when null.</param>
    /// <exception cref="ArgumentException">The key ID is empty, the key has no private part, or the key does not fit the algorithm.</exception>
    public JwtSvidSigner(AsymmetricAlgorithm privateKey, string keyId, JwtSvidAlgorithm? algorithm = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        var authority = new JwtAuthority(keyId, privateKey);
        var chosen = algorithm ?? (authority.Curve is { } curve ? JwsAlgorithms.ForCurve(curve) : JwtSvidAlgorithm.RS256);
        if (!Enum.IsDefined(chosen))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm), chosen, "not a JWT-SVID algorithm");
        }

        if (JwsAlgorithms.KeyProblem(chosen, authority.KeyType, authority.Curve, authority.KeySize) is { } problem)
        {
            throw new ArgumentException($"the key does not fit the algorithm: {problem}", nameof(privateKey));
        }

        _key = privateKey;
        _timeProvider = timeProvider ?? TimeProvider.System;
        Authority = authority;
        Algorithm = chosen;

        // Fail now, not on the first mint, when the key is public only.
        try
        {
            JwsAlgorithms.Sign(chosen, privateKey, [0]);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException("the key cannot sign; pass a key with its private part", nameof(privateKey), ex);
        }

        _encodedHeader = Base64UrlStrict.Encode(WriteJson(w =>
        {
            w.WriteString("alg", JwsAlgorithms.Name(chosen));
            w.WriteString("kid", keyId);
            w.WriteString("typ", "JWT");
        }));
    }

    /// <summary>Gets the public key and key ID to publish in the trust domain's JWT bundle.</summary>
    public JwtAuthority Authority { get; }

    /// <summary>Gets the key ID every minted token carries.</summary>
    public string KeyId => Authority.KeyId;

    /// <summary>Gets the signature algorithm.</summary>
    public JwtSvidAlgorithm Algorithm { get; }

    /// <summary>Mints a JWT-SVID issued now (by the signer's clock) and valid for <paramref name="lifetime"/>.</summary>
    /// <exception cref="ArgumentException">The lifetime is under one second, or another argument breaks a rule of the other overload.</exception>
    public string Mint(
        SpiffeId subject,
        IEnumerable<string> audience,
        TimeSpan lifetime,
        string? jwtId = null,
        IReadOnlyDictionary<string, JsonElement>? extraClaims = null)
    {
        if (lifetime < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"the lifetime must be at least one second, not {lifetime}", nameof(lifetime));
        }

        var now = _timeProvider.GetUtcNow();
        return Mint(subject, audience, now, now + lifetime, jwtId, extraClaims);
    }

    /// <summary>Mints a JWT-SVID for <paramref name="subject"/>.</summary>
    /// <param name="subject">The SPIFFE ID of the workload (the <c>sub</c> claim).</param>
    /// <param name="audience">One or more audiences (JWT-SVID §7.2 strongly recommends one). One is written as a string.</param>
    /// <param name="issuedAt">The issue time (<c>iat</c>); truncated to whole seconds.</param>
    /// <param name="expiry">The expiry (<c>exp</c>); truncated to whole seconds and later than <paramref name="issuedAt"/>.</param>
    /// <param name="jwtId">An optional JWT ID (<c>jti</c>).</param>
    /// <param name="extraClaims">Optional further claims; they may not redefine sub, aud, exp, iat, nbf or jti.</param>
    /// <returns>The token in JWS compact serialization.</returns>
    /// <exception cref="ArgumentException">The subject is the zero value, the audience is empty or holds an empty value, expiry is not after issuedAt, or an extra claim is a registered one.</exception>
    public string Mint(
        SpiffeId subject,
        IEnumerable<string> audience,
        DateTimeOffset issuedAt,
        DateTimeOffset expiry,
        string? jwtId = null,
        IReadOnlyDictionary<string, JsonElement>? extraClaims = null)
    {
        ArgumentNullException.ThrowIfNull(audience);
        if (subject.IsZero)
        {
            throw new ArgumentException("the subject is the zero SPIFFE ID", nameof(subject));
        }

        string[] audiences = [.. audience];
        if (audiences.Length == 0 || Array.Exists(audiences, string.IsNullOrEmpty))
        {
            throw new ArgumentException("give at least one audience, none of them empty (JWT-SVID §3.2)", nameof(audience));
        }

        var iat = issuedAt.ToUnixTimeSeconds();
        var exp = expiry.ToUnixTimeSeconds();
        if (exp <= iat)
        {
            throw new ArgumentException($"expiry {expiry:O} must be at least one second after issuedAt {issuedAt:O}", nameof(expiry));
        }

        if (extraClaims?.Keys.FirstOrDefault(RegisteredClaims.Contains) is { } reserved)
        {
            throw new ArgumentException($"extra claim '{reserved}' is set by the signer; pass it through the matching parameter", nameof(extraClaims));
        }

        var payload = WriteJson(w =>
        {
            w.WriteString("sub", subject.ToString());
            if (audiences.Length == 1)
            {
                w.WriteString("aud", audiences[0]);
            }
            else
            {
                w.WriteStartArray("aud");
                foreach (var a in audiences)
                {
                    w.WriteStringValue(a);
                }

                w.WriteEndArray();
            }

            w.WriteNumber("exp", exp);
            w.WriteNumber("iat", iat);
            if (jwtId is not null)
            {
                w.WriteString("jti", jwtId);
            }

            foreach (var (name, value) in extraClaims ?? new Dictionary<string, JsonElement>())
            {
                w.WritePropertyName(name);
                value.WriteTo(w);
            }
        });

        var signingInput = _encodedHeader + "." + Base64UrlStrict.Encode(payload);
        byte[] signature;
        lock (_sync)
        {
            // AsymmetricAlgorithm instances are not documented as thread-safe; the lock makes Mint so.
            signature = JwsAlgorithms.Sign(Algorithm, _key, Encoding.ASCII.GetBytes(signingInput));
        }

        return signingInput + "." + Base64UrlStrict.Encode(signature);
    }

    private static byte[] WriteJson(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
