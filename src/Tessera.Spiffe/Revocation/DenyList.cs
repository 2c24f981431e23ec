using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls.Internal;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.Revocation;

/// <summary>
/// The credentials a Tessera server revoked, each kept until it would have expired anyway (so the list stays
/// bounded): X509-SVID serials, JWT-SVID <c>jti</c>s, and per SPIFFE ID a cutoff before which every JWT-SVID it
/// was issued is revoked. Immutable; enforcement points ask it after a credential passed every other check
/// (signature, expiry, trust domain, authorization).
/// </summary>
public sealed record DenyList
{
    /// <summary>Gets the list that revokes nothing.</summary>
    public static DenyList Empty { get; } = new();

    /// <summary>Gets the revoked X509-SVID serials (upper-case hex, as <see cref="X509Certificate.GetSerialNumberString"/>) and when each would have expired.</summary>
    public ImmutableDictionary<string, DateTimeOffset> Serials { get; init; } = ImmutableDictionary<string, DateTimeOffset>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Gets the revoked JWT-SVID ids (<c>jti</c>) and when each would have expired.</summary>
    public ImmutableDictionary<string, DateTimeOffset> JwtIds { get; init; } = ImmutableDictionary<string, DateTimeOffset>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Gets, per SPIFFE ID, the rule revoking every JWT-SVID issued to it before a cutoff.</summary>
    public ImmutableDictionary<SpiffeId, JwtCutoff> JwtIssuedBefore { get; init; } = ImmutableDictionary<SpiffeId, JwtCutoff>.Empty;

    /// <summary>
    /// Gets the revoked X.509 CA keys, by subject key identifier (upper-case hex), and until when (the CA certificate's
    /// expiry). A server under an upstream authority revokes an intermediate it stopped using after an emergency
    /// rotation: relying parties still trust it through the upstream root, so a chain through it must be refused here.
    /// </summary>
    public ImmutableDictionary<string, DateTimeOffset> Authorities { get; init; } = ImmutableDictionary<string, DateTimeOffset>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Gets how many records the list holds.</summary>
    public int Count => Serials.Count + JwtIds.Count + JwtIssuedBefore.Count + Authorities.Count;

    /// <summary>Returns a list that also revokes the X509-SVID with serial <paramref name="serialHex"/> until <paramref name="expiresAt"/>.</summary>
    public DenyList WithSerial(string serialHex, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(serialHex);
        return this with { Serials = Serials.SetItem(Normalize(serialHex), expiresAt) };
    }

    /// <summary>Returns a list that also revokes the JWT-SVID with id <paramref name="jwtId"/> until <paramref name="expiresAt"/>.</summary>
    public DenyList WithJwtId(string jwtId, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(jwtId);
        return this with { JwtIds = JwtIds.SetItem(jwtId, expiresAt) };
    }

    /// <summary>Returns a list that also revokes the X.509 CA key with subject key identifier <paramref name="keyIdHex"/> until <paramref name="expiresAt"/>.</summary>
    public DenyList WithAuthority(string keyIdHex, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyIdHex);
        return this with { Authorities = Authorities.SetItem(Normalize(keyIdHex), expiresAt) };
    }

    /// <summary>
    /// Returns a list that also revokes every JWT-SVID of <paramref name="subject"/> issued before
    /// <paramref name="cutoff"/>, until <paramref name="until"/>. Cutoffs only move forward: an older rule never
    /// replaces a newer one.
    /// </summary>
    public DenyList WithJwtIssuedBefore(SpiffeId subject, DateTimeOffset cutoff, DateTimeOffset until)
    {
        if (JwtIssuedBefore.TryGetValue(subject, out var existing) && existing.Cutoff >= cutoff)
        {
            return this;
        }

        return this with { JwtIssuedBefore = JwtIssuedBefore.SetItem(subject, new JwtCutoff(cutoff, until)) };
    }

    /// <summary>Returns whether the X509-SVID with serial <paramref name="serialHex"/> (hex, any case) is revoked.</summary>
    public bool IsSerialRevoked(string serialHex)
    {
        ArgumentNullException.ThrowIfNull(serialHex);
        return Serials.ContainsKey(Normalize(serialHex));
    }

    /// <summary>
    /// Returns why the certificate <paramref name="leaf"/> is revoked, or null if it is not: its serial, or a revoked
    /// CA key behind it. When a SPIFFE TLS handshake in this process accepted this very certificate object (an open
    /// connection's peer), every CA certificate of the chain it was verified through is checked, as
    /// <see cref="CheckX509Chain"/> does; otherwise the CA key its authority key identifier names. For a chain just
    /// verified, prefer <see cref="CheckX509Chain"/>: a leaf's authority key identifier is whatever its signer wrote,
    /// while a verified chain's CA certificates are genuine.
    /// </summary>
    public string? CheckX509(X509Certificate2 leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        if (CheckSerial(leaf) is { } revoked)
        {
            return revoked;
        }

        if (Authorities.Count == 0)
        {
            return null;
        }

        if (AcceptedPeerChains.Of(leaf) is { } chain)
        {
            return CheckAuthorities(leaf, chain);
        }

        return KeyIdentifiers.Authority(leaf) is { } aki && Authorities.ContainsKey(aki)
            ? $"the CA key {aki} that signed certificate serial {leaf.SerialNumber} is revoked"
            : null;
    }

    /// <summary>
    /// Returns why a verified chain (leaf first, then the CA certificates up to the trust anchor) is revoked, or null:
    /// the leaf's serial, or any CA certificate of the path whose key is revoked.
    /// </summary>
    public string? CheckX509Chain(IReadOnlyList<X509Certificate2> verifiedChain)
    {
        ArgumentNullException.ThrowIfNull(verifiedChain);
        if (verifiedChain.Count == 0)
        {
            throw new ArgumentException("the chain is empty", nameof(verifiedChain));
        }

        var leaf = verifiedChain[0];
        return CheckSerial(leaf) ?? (Authorities.Count > 0 ? CheckAuthorities(leaf, AcceptedPeerChains.Authorities(verifiedChain)) : null);
    }

    /// <summary>
    /// Returns why a JWT-SVID of <paramref name="subject"/> with id <paramref name="jwtId"/> issued at
    /// <paramref name="issuedAt"/> is revoked, or null if it is not. A token of an identity under a cutoff rule that
    /// carries no <c>iat</c> is refused: nothing shows it was minted after the cutoff (fail closed).
    /// </summary>
    public string? CheckJwt(SpiffeId subject, string? jwtId, DateTimeOffset? issuedAt)
    {
        if (jwtId is not null && JwtIds.ContainsKey(jwtId))
        {
            return $"jti '{jwtId}' is revoked";
        }

        if (JwtIssuedBefore.TryGetValue(subject, out var rule) && (issuedAt is null || issuedAt < rule.Cutoff))
        {
            return $"every JWT-SVID of {subject} issued before {rule.Cutoff.ToString("O", CultureInfo.InvariantCulture)} is revoked";
        }

        return null;
    }

    /// <summary>Returns the list without the records whose credentials have expired by <paramref name="now"/>.</summary>
    public DenyList Prune(DateTimeOffset now)
    {
        var serials = Serials.Where(p => p.Value <= now).Select(p => p.Key).ToList();
        var jwtIds = JwtIds.Where(p => p.Value <= now).Select(p => p.Key).ToList();
        var rules = JwtIssuedBefore.Where(p => p.Value.Until <= now).Select(p => p.Key).ToList();
        var authorities = Authorities.Where(p => p.Value <= now).Select(p => p.Key).ToList();
        if (serials.Count + jwtIds.Count + rules.Count + authorities.Count == 0)
        {
            return this;
        }

        return this with
        {
            Serials = Serials.RemoveRange(serials),
            JwtIds = JwtIds.RemoveRange(jwtIds),
            JwtIssuedBefore = JwtIssuedBefore.RemoveRange(rules),
            Authorities = Authorities.RemoveRange(authorities),
        };
    }

    /// <summary>Returns whether this list holds exactly the same records as <paramref name="other"/>.</summary>
    public bool SameRecords(DenyList other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ReferenceEquals(this, other)
            || (Same(Serials, other.Serials) && Same(JwtIds, other.JwtIds) && Same(JwtIssuedBefore, other.JwtIssuedBefore) && Same(Authorities, other.Authorities));
    }

    private static bool Same<TKey, TValue>(ImmutableDictionary<TKey, TValue> a, ImmutableDictionary<TKey, TValue> b)
        where TKey : notnull =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && EqualityComparer<TValue>.Default.Equals(p.Value, v));

    private string? CheckAuthorities(X509Certificate2 leaf, IReadOnlyList<ChainAuthority> chain)
    {
        foreach (var authority in chain)
        {
            if (Authorities.ContainsKey(authority.KeyId))
            {
                return $"the CA key {authority.KeyId} ({authority.Subject}) in the chain of certificate serial {leaf.SerialNumber} is revoked";
            }
        }

        return null;
    }

    private string? CheckSerial(X509Certificate2 leaf) =>
        Serials.ContainsKey(leaf.SerialNumber) ? $"certificate serial {leaf.SerialNumber} is revoked" : null;

    private static string Normalize(string serialHex) => serialHex.ToUpperInvariant();
}
