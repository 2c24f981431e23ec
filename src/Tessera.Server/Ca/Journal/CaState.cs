using Tessera.Server.Ca.Rotation;

namespace Tessera.Server.Ca.Journal;

/// <summary>The persisted rotation state: both kinds' keys and the bundle sequence number.</summary>
/// <param name="TrustDomain">The trust domain the keys belong to (a journal of another one is refused).</param>
/// <param name="Sequence">Incremented whenever the published bundle changes (SPIFFE bundle <c>spiffe_sequence</c>).</param>
/// <param name="X509">The X.509 CA keys.</param>
/// <param name="Jwt">The JWT signing keys.</param>
internal sealed record CaState(string TrustDomain, ulong Sequence, IReadOnlyList<CaKeyEntry> X509, IReadOnlyList<CaKeyEntry> Jwt);
