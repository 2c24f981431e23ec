using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore;

/// <summary>A record of an issued SVID; <see cref="IssuedTo"/> is the issuing agent (null for the server itself).</summary>
/// <param name="Serial">The leaf serial number (upper-case hex).</param>
/// <param name="SpiffeId">The SVID's SPIFFE ID.</param>
/// <param name="ExpiresAt">Its notAfter.</param>
/// <param name="IssuedTo">The agent it was issued through, or null (the server's own SVIDs and agent SVIDs).</param>
/// <param name="Authority">The signing CA's subject key identifier (upper-case hex; the leaf's authority key identifier), or empty when unknown (records from before migration 6).</param>
/// <param name="IssuedAt">When it was issued (default when unknown).</param>
internal sealed record IssuedSvid(string Serial, SpiffeId SpiffeId, DateTimeOffset ExpiresAt, SpiffeId? IssuedTo, string Authority = "", DateTimeOffset IssuedAt = default);
