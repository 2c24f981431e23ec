using System.Collections.Frozen;
using Tessera.Server.Datastore;

namespace Tessera.Server.Revocations;

/// <summary>The revocations in force (unexpired, ordered as the store lists them) and the CRL made from them.</summary>
internal sealed record RevocationSnapshot(IReadOnlyList<Revocation> Revocations, CrlDocument? Crl)
{
    /// <summary>Gets the revoked X509-SVID serials, for lookups on every agent call.</summary>
    public FrozenSet<string> X509Serials { get; } = Revocations.Where(r => r.Kind == RevocationKind.X509Serial).Select(r => r.Value).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static RevocationSnapshot Empty { get; } = new([], null);
}
