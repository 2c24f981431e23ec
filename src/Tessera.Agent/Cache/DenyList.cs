using System.Collections.Immutable;
using System.Globalization;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Cache;

/// <summary>
/// The credentials the server revoked, kept until each would have expired anyway (so the list stays bounded):
/// X509-SVID serials, JWT-SVID <c>jti</c>s, and per identity a cutoff before which every JWT-SVID it was issued is
/// revoked. Immutable; enforcement points ask it after a credential passed every other check.
/// </summary>
internal sealed record DenyList
{
    public static DenyList Empty { get; } = new();

    /// <summary>Revoked X509-SVID serials (upper-case hex) and when each would have expired.</summary>
    public ImmutableDictionary<string, DateTimeOffset> Serials { get; init; } = ImmutableDictionary<string, DateTimeOffset>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Revoked JWT-SVID ids and when each would have expired.</summary>
    public ImmutableDictionary<string, DateTimeOffset> JwtIds { get; init; } = ImmutableDictionary<string, DateTimeOffset>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Per identity: JWT-SVIDs issued before <c>Cutoff</c> are revoked; the rule holds until <c>Until</c>.</summary>
    public ImmutableDictionary<SpiffeId, (DateTimeOffset Cutoff, DateTimeOffset Until)> JwtIssuedBefore { get; init; } = ImmutableDictionary<SpiffeId, (DateTimeOffset, DateTimeOffset)>.Empty;

    /// <summary>Gets how many records the list holds.</summary>
    public int Count => Serials.Count + JwtIds.Count + JwtIssuedBefore.Count;

    public bool IsSerialRevoked(string serial) => Serials.ContainsKey(serial.ToUpper(CultureInfo.InvariantCulture));

    /// <summary>
    /// Returns why a JWT-SVID is revoked, or null if it is not. A token of a revoked identity without <c>iat</c> is
    /// refused: nothing shows it was minted after the cutoff (fail closed).
    /// </summary>
    public string? JwtRevocation(SpiffeId subject, string? jwtId, DateTimeOffset? issuedAt)
    {
        if (jwtId is not null && JwtIds.ContainsKey(jwtId))
        {
            return $"jti '{jwtId}' is revoked";
        }

        if (JwtIssuedBefore.TryGetValue(subject, out var rule) && (issuedAt is null || issuedAt < rule.Cutoff))
        {
            return $"every JWT-SVID of {subject} issued before {rule.Cutoff.ToString("O", CultureInfo.InvariantCulture)} is revoked";
        }

        return null;
    }

    /// <summary>Drops records whose credential has expired by <paramref name="now"/>.</summary>
    public DenyList Prune(DateTimeOffset now) => this with
    {
        Serials = Serials.RemoveRange(Serials.Where(p => p.Value <= now).Select(p => p.Key)),
        JwtIds = JwtIds.RemoveRange(JwtIds.Where(p => p.Value <= now).Select(p => p.Key)),
        JwtIssuedBefore = JwtIssuedBefore.RemoveRange(JwtIssuedBefore.Where(p => p.Value.Until <= now).Select(p => p.Key)),
    };
}
