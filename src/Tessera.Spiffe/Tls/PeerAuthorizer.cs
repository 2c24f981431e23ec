using System.Diagnostics.CodeAnalysis;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Tls;

/// <summary>
/// Decides whether a peer whose X509-SVID has already been verified may connect, from its SPIFFE ID alone
/// (go-spiffe's <c>tlsconfig.Authorizer</c>). Authorization never relies on host names.
/// </summary>
public sealed class PeerAuthorizer
{
    private readonly Func<SpiffeId, bool> _allows;

    private PeerAuthorizer(Func<SpiffeId, bool> allows, string description)
    {
        _allows = allows;
        Description = description;
    }

    /// <summary>Gets what the authorizer accepts, in words, for log lines and refusals (e.g. "spiffe://example.org/api").</summary>
    public string Description { get; }

    /// <summary>Accepts any peer with a verified SVID from a trust domain in the bundle set.</summary>
    public static PeerAuthorizer Any() => new(static _ => true, "any verified SPIFFE ID");

    /// <summary>Accepts exactly <paramref name="id"/>.</summary>
    public static PeerAuthorizer Id(SpiffeId id) => new(peer => peer == id, id.ToString());

    /// <summary>Accepts any of <paramref name="ids"/>.</summary>
    /// <exception cref="ArgumentException">The set is empty.</exception>
    public static PeerAuthorizer OneOf(IEnumerable<SpiffeId> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var set = ids.ToHashSet();
        if (set.Count == 0)
        {
            throw new ArgumentException("the set of accepted SPIFFE IDs is empty: no peer could connect", nameof(ids));
        }

        return new(set.Contains, "one of " + string.Join(", ", set.Select(i => i.ToString()).Order(StringComparer.Ordinal)));
    }

    /// <summary>Accepts any member of <paramref name="trustDomain"/>.</summary>
    public static PeerAuthorizer MemberOf(TrustDomain trustDomain) =>
        new(peer => peer.TrustDomain == trustDomain, $"any member of {trustDomain.Id}");

    /// <summary>Accepts the peers for which <paramref name="predicate"/> returns true.</summary>
    /// <param name="predicate">The test; it must not throw.</param>
    /// <param name="description">What the predicate accepts, for log lines.</param>
    public static PeerAuthorizer Predicate(Func<SpiffeId, bool> predicate, string description)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        return new(predicate, description);
    }

    /// <summary>Returns true when <paramref name="peer"/> is accepted; otherwise false and why.</summary>
    public bool IsAuthorized(SpiffeId peer, [NotNullWhen(false)] out string? reason)
    {
        if (_allows(peer))
        {
            reason = null;
            return true;
        }

        reason = $"peer {peer} is not authorized (expected {Description})";
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => Description;
}
