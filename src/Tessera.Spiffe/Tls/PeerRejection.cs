using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.Tls;

/// <summary>Why a TLS peer was refused during the handshake.</summary>
/// <param name="PeerRole">"client" when this side is the server and refused a client; "server" otherwise.</param>
/// <param name="PeerId">The SPIFFE ID the peer presented, when its certificate carried a readable one.</param>
/// <param name="Error">The X509-SVID verification error, or <see cref="X509SvidError.None"/> when the SVID verified but the peer was not authorized.</param>
/// <param name="Reason">A sentence naming what was wrong, fit for a log line (never key material).</param>
public sealed record PeerRejection(string PeerRole, SpiffeId? PeerId, X509SvidError Error, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"TLS {PeerRole} {(PeerId is { } id ? id.ToString() : "(no SPIFFE ID)")} refused: {Reason}";
}
