using System.Text.Json;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt.Internal;

namespace Tessera.Spiffe.Jwt;

/// <summary>
/// A JWT-SVID (JWT-SVID §1): a JWS-signed JWT whose <c>sub</c> is a SPIFFE ID. Instances come from
/// <see cref="JwtSvidValidator"/> (signature and claims checked) or <see cref="ParseInsecure"/>. Immutable.
/// </summary>
public sealed class JwtSvid
{
    internal JwtSvid(ParsedJwt jwt)
    {
        Token = jwt.Token;
        Id = jwt.Subject;
        Audience = jwt.Audience;
        Expiry = jwt.Expiry;
        IssuedAt = jwt.IssuedAt;
        NotBefore = jwt.NotBefore;
        KeyId = jwt.KeyId;
        Algorithm = jwt.Algorithm;
        JwtId = jwt.JwtId;
        Claims = jwt.Claims;
    }

    /// <summary>Gets the SPIFFE ID of the workload the token was issued to (the <c>sub</c> claim, JWT-SVID §3.1).</summary>
    public SpiffeId Id { get; }

    /// <summary>Gets the audiences (the <c>aud</c> claim, JWT-SVID §3.2); never empty.</summary>
    public IReadOnlyList<string> Audience { get; }

    /// <summary>Gets the expiry (the <c>exp</c> claim, JWT-SVID §3.3).</summary>
    public DateTimeOffset Expiry { get; }

    /// <summary>Gets the issue time (the <c>iat</c> claim), or null when absent.</summary>
    public DateTimeOffset? IssuedAt { get; }

    /// <summary>Gets the start of validity (the <c>nbf</c> claim), or null when absent.</summary>
    public DateTimeOffset? NotBefore { get; }

    /// <summary>Gets the key ID from the header (<c>kid</c>); empty for a token read by <see cref="ParseInsecure"/> without one.</summary>
    public string KeyId { get; }

    /// <summary>Gets the signature algorithm from the header (<c>alg</c>).</summary>
    public JwtSvidAlgorithm Algorithm { get; }

    /// <summary>Gets the JWT ID (the <c>jti</c> claim), or null when absent.</summary>
    public string? JwtId { get; }

    /// <summary>Gets every claim of the payload as a read-only JSON object (including private claims).</summary>
    public JsonElement Claims { get; }

    /// <summary>Gets the token in compact serialization. It is a bearer credential: do not log it.</summary>
    public string Token { get; }

    /// <summary>
    /// Parses a JWT-SVID and checks its header, claims and audience, but <b>not</b> its signature or its
    /// times. Use it only for a token that came from a trusted source, such as the Workload API handing a
    /// workload its own SVID; a token from a peer must go through <see cref="JwtSvidValidator"/>.
    /// </summary>
    /// <remarks>A missing <c>kid</c> is accepted here, since no key is looked up.</remarks>
    public static JwtSvidValidationResult ParseInsecure(string token, string audience) =>
        JwtSvidValidator.ParseInsecure(token, audience);

    /// <summary>Returns the subject, audiences and expiry; never the token, which is a bearer credential.</summary>
    public override string ToString() => $"JWT-SVID {Id} (aud {string.Join(", ", Audience)}; expires {Expiry:O})";
}
