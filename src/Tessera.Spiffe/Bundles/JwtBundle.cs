using System.Diagnostics.CodeAnalysis;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Bundles;

/// <summary>
/// The JWT-SVID signing keys of a trust domain, keyed by <c>kid</c> (JWT-SVID §6). Immutable; safe to
/// share between threads. An empty bundle means the trust domain's JWT-SVIDs are all untrusted
/// (SPIFFE bundle §4.1.3).
/// </summary>
public sealed class JwtBundle : IJwtBundleSource
{
    private readonly JwtAuthority[] _authorities;

    /// <summary>Creates a bundle for <paramref name="trustDomain"/> holding <paramref name="authorities"/>; exact duplicates are removed.</summary>
    /// <exception cref="ArgumentException">The trust domain is the zero value, or two different keys share a key ID.</exception>
    public JwtBundle(TrustDomain trustDomain, IEnumerable<JwtAuthority> authorities)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("trust domain is the zero value; parse one first", nameof(trustDomain));
        }

        var list = new List<JwtAuthority>();
        foreach (var authority in authorities)
        {
            ArgumentNullException.ThrowIfNull(authority, nameof(authorities));
            var existing = list.Find(a => string.Equals(a.KeyId, authority.KeyId, StringComparison.Ordinal));
            if (existing is null)
            {
                list.Add(authority);
            }
            else if (!existing.Equals(authority))
            {
                // Two keys behind one kid would make the key a token is checked with depend on order.
                throw new ArgumentException($"two different keys have the key ID '{authority.KeyId}'; key IDs must be unique in a bundle", nameof(authorities));
            }
        }

        TrustDomain = trustDomain;
        _authorities = [.. list];
    }

    /// <summary>Gets the trust domain this bundle is authoritative for.</summary>
    public TrustDomain TrustDomain { get; }

    /// <summary>Gets the signing keys, in the order they were given.</summary>
    public IReadOnlyList<JwtAuthority> Authorities => _authorities;

    /// <summary>Gets whether the bundle holds no key (the trust domain then trusts no JWT-SVID).</summary>
    public bool IsEmpty => _authorities.Length == 0;

    /// <summary>Returns the key with key ID <paramref name="keyId"/> (exact, case-sensitive match).</summary>
    public bool TryGetAuthority(string keyId, [NotNullWhen(true)] out JwtAuthority? authority)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        authority = Array.Find(_authorities, a => string.Equals(a.KeyId, keyId, StringComparison.Ordinal));
        return authority is not null;
    }

    /// <summary>Returns a copy with <paramref name="authority"/> added, replacing any key with the same key ID.</summary>
    public JwtBundle WithAuthority(JwtAuthority authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return new JwtBundle(TrustDomain, [.. _authorities.Where(a => !string.Equals(a.KeyId, authority.KeyId, StringComparison.Ordinal)), authority]);
    }

    /// <summary>Returns a copy without the key whose key ID is <paramref name="keyId"/>.</summary>
    public JwtBundle WithoutAuthority(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return new JwtBundle(TrustDomain, _authorities.Where(a => !string.Equals(a.KeyId, keyId, StringComparison.Ordinal)));
    }

    /// <inheritdoc/>
    public bool TryGetJwtBundle(TrustDomain trustDomain, [NotNullWhen(true)] out JwtBundle? bundle)
    {
        bundle = trustDomain == TrustDomain ? this : null;
        return bundle is not null;
    }
}
