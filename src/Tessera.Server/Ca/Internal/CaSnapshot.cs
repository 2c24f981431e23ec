using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Jwt;
using Tessera.Spiffe.X509;

namespace Tessera.Server.Ca.Internal;

/// <summary>
/// What the CA publishes and signs with between two rotations; immutable and swapped as a whole, so signing
/// never takes a lock and never sees a half-rotated CA.
/// </summary>
/// <param name="Bundle">The trust bundle (X.509 authorities and JWT keys) with its sequence number.</param>
/// <param name="X509Leaves">Signs leaves as the active X.509 CA key; made once per rotation rather than per SVID.</param>
/// <param name="X509ChainTail">What an SVID presents after its leaf, DER: the intermediates up to (excluding) the root.</param>
/// <param name="X509Intermediates">Under an upstream authority, every CA certificate between SVIDs and the roots (see <see cref="CertificateAuthority.X509Intermediates"/>).</param>
/// <param name="JwtSigner">The signer of the active JWT key.</param>
/// <param name="JwtNotAfter">The end of the active JWT key's life; JWT-SVIDs expire by then.</param>
/// <param name="CrlIssuers">Every X.509 CA key that may have signed a current SVID (active first), to sign CRLs as.</param>
internal sealed record CaSnapshot(
    SpiffeBundle Bundle,
    X509LeafSigner X509Leaves,
    IReadOnlyList<ReadOnlyMemory<byte>> X509ChainTail,
    IReadOnlyList<X509Certificate2> X509Intermediates,
    JwtSvidSigner JwtSigner,
    DateTimeOffset JwtNotAfter,
    IReadOnlyList<CrlIssuer> CrlIssuers);
