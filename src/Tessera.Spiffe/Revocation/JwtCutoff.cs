namespace Tessera.Spiffe.Revocation;

/// <summary>
/// A deny-list rule for one SPIFFE ID: every JWT-SVID issued to it before <see cref="Cutoff"/> is revoked. The rule
/// is kept until <see cref="Until"/>, when every token it covers has expired anyway.
/// </summary>
/// <param name="Cutoff">Tokens whose <c>iat</c> is earlier than this are revoked.</param>
/// <param name="Until">When the rule can be dropped (the latest expiry of a token it covers).</param>
public readonly record struct JwtCutoff(DateTimeOffset Cutoff, DateTimeOffset Until);
