using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Tessera.Spiffe.Bundles.Internal;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Bundles;

/// <summary>
/// A thread-safe collection of SPIFFE bundles, at most one per trust domain: the trust store for
/// validating SVIDs from the local and federated trust domains.
/// </summary>
public sealed class BundleSet : IX509BundleSource, IJwtBundleSource
{
    private readonly ConcurrentDictionary<TrustDomain, SpiffeBundle> _bundles = new();

    /// <summary>Creates a set holding <paramref name="bundles"/>.</summary>
    /// <exception cref="ArgumentException">Two bundles are for the same trust domain.</exception>
    public BundleSet(params IEnumerable<SpiffeBundle> bundles)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        foreach (var bundle in bundles)
        {
            Add(bundle);
        }
    }

    /// <summary>
    /// Parses a SPIFFE Bundle Map (SPIFFE Trust Domain and Bundle §5) into a new set: a <c>trust_domains</c>
    /// object keyed by trust domain name, each value a SPIFFE bundle read by the rules of
    /// <see cref="SpiffeBundle.Parse(TrustDomain, ReadOnlySpan{byte})"/>.
    /// </summary>
    /// <remarks>
    /// Duplicate trust domain names are rejected (§5.1.1, §6.3), as are duplicate member names anywhere else.
    /// Refresh hints of the bundles are kept on each <see cref="SpiffeBundle"/> but, per §5.1.1, should not
    /// drive how often the map itself is refreshed.
    /// </remarks>
    /// <exception cref="FormatException">The map or one of its bundles is malformed; the message names it.</exception>
    public static BundleSet ParseBundleMap(ReadOnlySpan<byte> json) => new(BundleMapCodec.Read(json));

    /// <summary>Encodes the set as a SPIFFE Bundle Map (§5), ordered by trust domain, without refresh hints.</summary>
    public string ToBundleMapJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            BundleMapCodec.Write(writer, _bundles.Values);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Gets the number of trust domains in the set.</summary>
    public int Count => _bundles.Count;

    /// <summary>Gets a snapshot of the trust domains in the set, ordered by name.</summary>
    public IReadOnlyList<TrustDomain> TrustDomains => [.. _bundles.Keys.Order()];

    /// <summary>Adds the bundle of a trust domain that is not in the set yet.</summary>
    /// <exception cref="ArgumentException">The set already holds a bundle for that trust domain; use <see cref="Update"/>.</exception>
    public void Add(SpiffeBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (!_bundles.TryAdd(bundle.TrustDomain, bundle))
        {
            throw new ArgumentException($"the set already has a bundle for '{bundle.TrustDomain}'; use Update to replace it", nameof(bundle));
        }
    }

    /// <summary>Adds the bundle, or replaces the one held for its trust domain.</summary>
    public void Update(SpiffeBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        _bundles[bundle.TrustDomain] = bundle;
    }

    /// <summary>Removes the bundle of <paramref name="trustDomain"/>; returns false when there was none.</summary>
    public bool Remove(TrustDomain trustDomain) => _bundles.TryRemove(trustDomain, out _);

    /// <summary>Returns the bundle of <paramref name="trustDomain"/>, or false when the set has none.</summary>
    public bool TryGet(TrustDomain trustDomain, [NotNullWhen(true)] out SpiffeBundle? bundle) =>
        _bundles.TryGetValue(trustDomain, out bundle);

    /// <inheritdoc/>
    public bool TryGetX509Bundle(TrustDomain trustDomain, [NotNullWhen(true)] out X509Bundle? bundle)
    {
        bundle = _bundles.TryGetValue(trustDomain, out var spiffe) ? spiffe.X509Bundle : null;
        return bundle is not null;
    }

    /// <inheritdoc/>
    public bool TryGetJwtBundle(TrustDomain trustDomain, [NotNullWhen(true)] out JwtBundle? bundle)
    {
        bundle = _bundles.TryGetValue(trustDomain, out var spiffe) ? spiffe.JwtBundle : null;
        return bundle is not null;
    }
}
