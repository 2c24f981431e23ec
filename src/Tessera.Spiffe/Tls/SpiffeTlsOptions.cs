using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Revocation;

namespace Tessera.Spiffe.Tls;

/// <summary>Settings shared by the TLS configurations <see cref="SpiffeTls"/> builds.</summary>
public sealed record SpiffeTlsOptions
{
    /// <summary>Gets the clock peers' SVIDs are verified against (default: the system clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Gets a callback told about every peer refused during a handshake (bad chain, wrong trust domain, not
    /// authorized), so the host can write one clear log line. It runs on the handshake's thread and must not throw.
    /// </summary>
    public Action<PeerRejection>? OnPeerRejected { get; init; }

    /// <summary>
    /// Gets an extra check run after the peer's SVID verified and its ID was authorized, such as a deny list of
    /// revoked serials: it returns why the peer is refused, or null to accept it.
    /// </summary>
    public Func<SpiffeId, X509Certificate2, string?>? AdditionalPeerCheck { get; init; }

    /// <summary>
    /// Gets the revocation deny list peers are checked against: a peer whose leaf certificate's serial is on it is
    /// refused (reason <c>certificate serial … is revoked</c>) even though its SVID is unexpired and correctly
    /// signed. Read at every handshake, so an update applies from the next one on. Default: null (no deny list).
    /// </summary>
    public IDenyListSource? DenyList { get; init; }
}
