using System.Text.Json;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Jwt.Internal;

/// <summary>A JWT-SVID whose structure, header and claim types were checked; signature and times not yet.</summary>
internal sealed record ParsedJwt(
    string Token,
    JwtSvidAlgorithm Algorithm,
    string KeyId,
    byte[] SigningInput,
    byte[] Signature,
    SpiffeId Subject,
    string[] Audience,
    DateTimeOffset Expiry,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? NotBefore,
    string? JwtId,
    JsonElement Claims);
