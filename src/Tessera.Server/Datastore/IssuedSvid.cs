using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore;

/// <summary>A record of an issued SVID; <see cref="IssuedTo"/> is the issuing agent (null for the server itself).</summary>
internal sealed record IssuedSvid(string Serial, SpiffeId SpiffeId, DateTimeOffset ExpiresAt, SpiffeId? IssuedTo);
