using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore;

/// <summary>
/// One revoked credential (or, for <see cref="RevocationKind.JwtIssuedBefore"/>, one identity's older tokens).
/// <see cref="ExpiresAt"/> is when the credential would have expired anyway: after it the record has no effect and
/// is pruned, which keeps every deny list bounded.
/// <see cref="SpiffeId"/> is null when the operator revoked a JWT by <c>jti</c> alone. <see cref="Reason"/> and <see cref="RevokedBy"/> say why and who.
/// </summary>
internal sealed record Revocation(
    RevocationKind Kind,
    string Value,
    SpiffeId? SpiffeId,
    DateTimeOffset ExpiresAt,
    string Reason,
    string RevokedBy,
    DateTimeOffset RevokedAt);
