using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore;

/// <summary>
/// A registration entry. <see cref="Id"/>, <see cref="CreatedAt"/>, <see cref="UpdatedAt"/> and
/// <see cref="Revision"/> are set by the store; on update, <see cref="Revision"/> is the revision the
/// caller read (optimistic concurrency).
/// </summary>
internal sealed record RegistrationEntry
{
    public string Id { get; init; } = string.Empty;

    public required SpiffeId SpiffeId { get; init; }

    public required SpiffeId ParentId { get; init; }

    public required IReadOnlyList<Selector> Selectors { get; init; }

    public TimeSpan X509SvidTtl { get; init; }

    public TimeSpan JwtSvidTtl { get; init; }

    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public bool Admin { get; init; }

    public string Hint { get; init; } = string.Empty;

    public DateTimeOffset? ExpiresAt { get; init; }

    public string Owner { get; init; } = string.Empty;

    public string Purpose { get; init; } = string.Empty;

    /// <summary>Trust domains whose federated bundles this entry's workloads receive (besides their own).</summary>
    public IReadOnlyList<TrustDomain> FederatesWith { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long Revision { get; init; }
}
