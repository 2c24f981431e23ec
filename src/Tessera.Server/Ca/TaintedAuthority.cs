namespace Tessera.Server.Ca;

/// <summary>A tainted CA key still in the bundle.</summary>
/// <param name="Kind">X.509 or JWT.</param>
/// <param name="KeyId">The CA key ID (<c>x509-…</c>, <c>jwt-…</c>).</param>
/// <param name="Identifier">What SVIDs name their signer by: the CA's subject key identifier (upper-case hex) for X.509, the kid for JWT.</param>
/// <param name="TaintedAt">When it was tainted.</param>
internal sealed record TaintedAuthority(CaKeyKind Kind, string KeyId, string Identifier, DateTimeOffset TaintedAt);
