using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Tessera.Spiffe.Bundles.Internal;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Bundles;

/// <summary>
/// A SPIFFE bundle (SPIFFE Trust Domain and Bundle §4): a trust domain's X.509 authorities and JWT-SVID
/// signing keys, published as a JWK Set with optional <c>spiffe_sequence</c> and <c>spiffe_refresh_hint</c>.
/// Immutable; safe to share between threads.
/// </summary>
public sealed class SpiffeBundle : IX509BundleSource, IJwtBundleSource
{
    /// <summary>The JWK <c>use</c> of X.509 authorities (X509-SVID §6.1).</summary>
    public const string X509SvidUse = "x509-svid";

    /// <summary>The JWK <c>use</c> of JWT-SVID signing keys (JWT-SVID §6.1).</summary>
    public const string JwtSvidUse = "jwt-svid";

    /// <summary>Creates a bundle; missing parts are empty.</summary>
    /// <exception cref="ArgumentException">The trust domain is the zero value, or a part belongs to another trust domain, or the refresh hint is negative.</exception>
    public SpiffeBundle(TrustDomain trustDomain, X509Bundle? x509Bundle = null, JwtBundle? jwtBundle = null, ulong? sequence = null, TimeSpan? refreshHint = null)
    {
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("trust domain is the zero value; parse one first", nameof(trustDomain));
        }

        if (x509Bundle is not null && x509Bundle.TrustDomain != trustDomain)
        {
            throw new ArgumentException($"the X.509 bundle is for '{x509Bundle.TrustDomain}', not '{trustDomain}'", nameof(x509Bundle));
        }

        if (jwtBundle is not null && jwtBundle.TrustDomain != trustDomain)
        {
            throw new ArgumentException($"the JWT bundle is for '{jwtBundle.TrustDomain}', not '{trustDomain}'", nameof(jwtBundle));
        }

        if (refreshHint is { } hint && (hint < TimeSpan.Zero || hint.Ticks % TimeSpan.TicksPerSecond != 0))
        {
            throw new ArgumentException("the refresh hint must be a non-negative whole number of seconds (§4.1.2)", nameof(refreshHint));
        }

        TrustDomain = trustDomain;
        X509Bundle = x509Bundle ?? new X509Bundle(trustDomain, []);
        JwtBundle = jwtBundle ?? new JwtBundle(trustDomain, []);
        Sequence = sequence;
        RefreshHint = refreshHint;
    }

    /// <summary>Gets the trust domain this bundle is authoritative for.</summary>
    public TrustDomain TrustDomain { get; }

    /// <summary>Gets the X.509 authorities (empty when the trust domain publishes none, X509-SVID §6.2).</summary>
    public X509Bundle X509Bundle { get; }

    /// <summary>Gets the JWT-SVID signing keys (empty when the trust domain publishes none, JWT-SVID §6.2).</summary>
    public JwtBundle JwtBundle { get; }

    /// <summary>Gets <c>spiffe_sequence</c> (§4.1.1), or null when absent.</summary>
    public ulong? Sequence { get; }

    /// <summary>Gets <c>spiffe_refresh_hint</c> (§4.1.2), or null when absent.</summary>
    public TimeSpan? RefreshHint { get; }

    /// <summary>
    /// Parses a SPIFFE bundle (a JWK Set) for <paramref name="trustDomain"/>, following the consumer rules of
    /// SPIFFE bundle §4, X509-SVID §6.2 and JWT-SVID §6.2.
    /// </summary>
    /// <remarks>
    /// Entries with an unknown or missing <c>kty</c> or <c>use</c> are ignored; so are <c>x509-svid</c>
    /// entries without <c>x5c</c> or with an empty one, and every <c>x5c</c> value after the first. A
    /// <c>jwt-svid</c> entry without a <c>kid</c> is rejected (as go-spiffe does) rather than ignored: the
    /// publisher broke a MUST of JWT-SVID §6.1, and silently dropping a key would hide that. Duplicate JSON
    /// member names anywhere, and two <c>jwt-svid</c> entries with the same <c>kid</c>, are rejected (§6.3).
    /// </remarks>
    /// <exception cref="FormatException">The JSON breaks a rule above; the message names the rule and the entry.</exception>
    public static SpiffeBundle Parse(TrustDomain trustDomain, ReadOnlySpan<byte> json)
    {
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("trust domain is the zero value; parse one first", nameof(trustDomain));
        }

        using var document = StrictJson.Parse(json, "SPIFFE bundle");
        return SpiffeBundleReader.Read(trustDomain, document.RootElement, "SPIFFE bundle");
    }

    /// <summary>Parses a SPIFFE bundle from a UTF-8 JSON string.</summary>
    /// <exception cref="FormatException">The JSON breaks a rule of <see cref="Parse(TrustDomain, ReadOnlySpan{byte})"/>.</exception>
    public static SpiffeBundle Parse(TrustDomain trustDomain, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(trustDomain, Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Encodes the bundle as a SPIFFE bundle JWK Set (UTF-8 JSON, compact).</summary>
    /// <exception cref="InvalidOperationException">An X.509 authority has a key that is neither RSA nor ECDSA on P-256/384/521.</exception>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteTo(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the bundle's JWK Set object.</summary>
    internal void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("keys");
        foreach (var certificate in X509Bundle.Authorities)
        {
            SpiffeBundleReader.WriteX509Entry(writer, certificate);
        }

        foreach (var authority in JwtBundle.Authorities)
        {
            authority.WriteJwk(writer);
        }

        writer.WriteEndArray();
        if (RefreshHint is { } hint)
        {
            writer.WriteNumber("spiffe_refresh_hint", (long)hint.TotalSeconds);
        }

        if (Sequence is { } sequence)
        {
            writer.WriteNumber("spiffe_sequence", sequence);
        }

        writer.WriteEndObject();
    }

    /// <inheritdoc/>
    public bool TryGetX509Bundle(TrustDomain trustDomain, [NotNullWhen(true)] out X509Bundle? bundle)
    {
        bundle = trustDomain == TrustDomain ? X509Bundle : null;
        return bundle is not null;
    }

    /// <inheritdoc/>
    public bool TryGetJwtBundle(TrustDomain trustDomain, [NotNullWhen(true)] out JwtBundle? bundle)
    {
        bundle = trustDomain == TrustDomain ? JwtBundle : null;
        return bundle is not null;
    }
}
