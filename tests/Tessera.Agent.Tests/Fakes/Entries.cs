using Tessera.Contracts.Node.V1;

namespace Tessera.Agent.Tests.Fakes;

/// <summary>Wire entries for tests.</summary>
internal static class Entries
{
    public static NodeEntry Make(string id, long revision = 1, long ttlSeconds = 3600, string? spiffeId = null) => new()
    {
        Id = id,
        SpiffeId = spiffeId ?? $"spiffe://example.org/workload/{id}",
        ParentId = "spiffe://example.org/tessera/agent/test",
        Selectors = { $"unix:uid:{1000 + (Math.Abs(id.GetHashCode(StringComparison.Ordinal)) % 1000)}" },
        X509SvidTtlSeconds = ttlSeconds,
        JwtSvidTtlSeconds = 300,
        Revision = revision,
    };
}
