using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore;

/// <summary>A join token as stored: only the SHA-256 of the token (hex), never the token itself.</summary>
internal sealed record JoinToken(string TokenHash, SpiffeId? SpiffeId, DateTimeOffset ExpiresAt);
