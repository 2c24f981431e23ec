using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.AspNetCore.Internal;

/// <summary>
/// The SPIFFE ID a <c>UseSpiffeMtls</c> listener verified and authorized during the connection's handshake, kept
/// as a connection feature. The authentication handler trusts only this, never a bare client certificate, so a
/// listener configured some other way (e.g. one that accepts any certificate) cannot mint SPIFFE identities.
/// </summary>
internal sealed class SpiffePeerFeature
{
    private SpiffeId? _id;

    /// <summary>Gets the verified peer ID, or null before (or without) a successful handshake.</summary>
    public SpiffeId? Id => _id;

    /// <summary>Gets the peer's verified leaf certificate.</summary>
    public X509Certificate2? Certificate { get; private set; }

    public void Accept(SpiffeId id, X509Certificate2 certificate)
    {
        Certificate = certificate;
        _id = id;
    }
}
