using Tessera.Server.Datastore;

namespace Tessera.Server.Revocations;

/// <summary>The revocations in force (unexpired, ordered as the store lists them) and the CRL made from them.</summary>
internal sealed record RevocationSnapshot(IReadOnlyList<Revocation> Revocations, CrlDocument? Crl)
{
    public static RevocationSnapshot Empty { get; } = new([], null);
}
