using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.Tls.Internal;

/// <summary>
/// The CA certificates each peer certificate was verified through, remembered by SPIFFE TLS handshakes in this
/// process for as long as the certificate object lives (the TLS stream and the connection hold it). A deny-list
/// update re-checks open connections from their leaf alone; without this, a leaf minted with a stolen CA key and no
/// authority key identifier would not name the key that is now revoked, and its connection would stay open.
/// </summary>
internal static class AcceptedPeerChains
{
    private static readonly ConditionalWeakTable<X509Certificate2, ChainAuthority[]> Chains = [];

    /// <summary>Remembers the CA certificates of <paramref name="verifiedChain"/> (leaf first) for its leaf.</summary>
    public static void Remember(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> verifiedChain) =>
        Chains.AddOrUpdate(leaf, Authorities(verifiedChain));

    /// <summary>Returns the CA certificates <paramref name="leaf"/> was verified through, or null if no handshake here accepted it.</summary>
    public static IReadOnlyList<ChainAuthority>? Of(X509Certificate2 leaf) =>
        Chains.TryGetValue(leaf, out var authorities) ? authorities : null;

    /// <summary>The subject key identifiers (upper-case hex) and subjects of a verified chain's CA certificates.</summary>
    public static ChainAuthority[] Authorities(IReadOnlyList<X509Certificate2> verifiedChain)
    {
        var authorities = new List<ChainAuthority>(Math.Max(0, verifiedChain.Count - 1));
        for (var i = 1; i < verifiedChain.Count; i++)
        {
            if (KeyIdentifiers.Subject(verifiedChain[i]) is { } keyId)
            {
                authorities.Add(new ChainAuthority(keyId, verifiedChain[i].Subject));
            }
        }

        return [.. authorities];
    }
}
