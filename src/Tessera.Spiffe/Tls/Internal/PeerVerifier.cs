using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.Tls.Internal;

/// <summary>
/// The remote-certificate check of every SPIFFE TLS configuration: the peer's chain is verified as an X509-SVID
/// against the bundle set (never the OS store, never the host name), then its SPIFFE ID is authorized.
/// </summary>
internal sealed class PeerVerifier(IX509BundleSource bundles, PeerAuthorizer authorizer, SpiffeTlsOptions options, string peerRole)
{
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        // The platform's verdict (errors) is deliberately ignored: it judges host names and the system trust
        // store, neither of which means anything for a SPIFFE peer. Everything is decided below instead.
        if (certificate is null)
        {
            return Refuse(null, X509SvidError.EmptyChain, $"the {peerRole} presented no certificate");
        }

        var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        var presented = new List<X509Certificate2> { leaf };
        if (chain is not null)
        {
            // On the remote-certificate callback, ExtraStore holds the certificates the peer sent after its leaf.
            foreach (var extra in chain.ChainPolicy.ExtraStore)
            {
                if (!extra.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
                {
                    presented.Add(extra);
                }
            }
        }

        var result = X509SvidVerifier.Verify(presented, bundles, options.TimeProvider);
        if (!result.IsValid)
        {
            return Refuse(ReadId(leaf), result.Error, result.Message!);
        }

        if (!authorizer.IsAuthorized(result.Id, out var reason))
        {
            return Refuse(result.Id, X509SvidError.None, reason);
        }

        // Revocation is checked after the SVID verified: a revoked credential is still a genuine one, and the
        // rejection should name the identity it belonged to.
        if (options.DenyList?.DenyList.CheckX509Chain(result.VerifiedChain) is { } revoked)
        {
            return Refuse(result.Id, X509SvidError.None, revoked);
        }

        if (options.AdditionalPeerCheck?.Invoke(result.Id, leaf) is { } refusal)
        {
            return Refuse(result.Id, X509SvidError.None, refusal);
        }

        // For the deny list's re-checks of the open connection: the leaf alone may not name the CA key it came from.
        if (options.DenyList is not null)
        {
            AcceptedPeerChains.Remember(leaf, result.VerifiedChain);
        }

        return true;
    }

    private bool Refuse(SpiffeId? id, X509SvidError error, string reason)
    {
        options.OnPeerRejected?.Invoke(new PeerRejection(peerRole, id, error, reason));
        return false;
    }

    private static SpiffeId? ReadId(X509Certificate2 leaf)
    {
        try
        {
            return SpiffeId.TryParse(leaf.GetNameInfo(X509NameType.UrlName, forIssuer: false), out var id) ? id : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
