using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore;

/// <summary>A trust bundle in SPIFFE bundle (JWKS) JSON; <see cref="Sequence"/> grows by one on each change.</summary>
internal sealed record StoredBundle(TrustDomain TrustDomain, string Json, long Sequence);
