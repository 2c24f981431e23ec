using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Cache;

/// <summary>A registration entry as the server pushed it to this agent.</summary>
internal sealed record AgentEntry
{
    public required string Id { get; init; }

    public required SpiffeId SpiffeId { get; init; }

    public required SpiffeId ParentId { get; init; }

    /// <summary>Canonical <c>type:value</c> selectors; a caller matches when it has every one of them.</summary>
    public required IReadOnlyList<string> Selectors { get; init; }

    public TimeSpan X509SvidTtl { get; init; }

    public TimeSpan JwtSvidTtl { get; init; }

    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public string Hint { get; init; } = string.Empty;

    public bool Admin { get; init; }

    public long Revision { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Trust domains whose federated bundles this entry's workloads receive.</summary>
    public IReadOnlyList<TrustDomain> FederatesWith { get; init; } = [];
}
