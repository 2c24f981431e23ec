using Tessera.Contracts.Node.V1;
using Tessera.Server.Datastore;

namespace Tessera.Server.NodeApi;

/// <summary>Revocations on the Sync stream: what an agent needs to enforce them (never who revoked or why).</summary>
internal static class RevocationMapping
{
    public static NodeRevocation ToWire(Revocation revocation) => new()
    {
        Kind = RevocationKinds.ToText(revocation.Kind),
        Value = revocation.Value,
        SpiffeId = revocation.SpiffeId?.ToString() ?? string.Empty,
        ExpiresAtUnix = revocation.ExpiresAt.ToUnixTimeSeconds(),
        RevokedAtUnixMs = revocation.RevokedAt.ToUnixTimeMilliseconds(),
    };

    /// <summary>The revocations in <paramref name="after"/> that <paramref name="before"/> lacks (a moved identity-wide cutoff counts as new).</summary>
    public static IEnumerable<Revocation> Added(IReadOnlyList<Revocation> before, IReadOnlyList<Revocation> after)
    {
        var seen = before.Select(Key).ToHashSet();
        return after.Where(r => !seen.Contains(Key(r)));
    }

    private static (RevocationKind, string, DateTimeOffset) Key(Revocation r) => (r.Kind, r.Value, r.RevokedAt);
}
