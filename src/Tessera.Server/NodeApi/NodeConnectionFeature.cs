using System.Security.Cryptography.X509Certificates;

namespace Tessera.Server.NodeApi;

/// <summary>
/// Set on every connection accepted by the agent listener, and only there: the node service refuses calls that
/// lack it (so it is unreachable on the admin socket). Also keeps the intermediates the client presented in the
/// TLS handshake, which path validation of its SVID needs when the CA sits under an upstream authority.
/// </summary>
internal sealed class NodeConnectionFeature
{
    public IReadOnlyList<X509Certificate2> PresentedIntermediates { get; set; } = [];
}
