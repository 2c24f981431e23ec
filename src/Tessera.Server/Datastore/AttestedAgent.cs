using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore;

/// <summary>An attested agent, keyed by its SPIFFE ID.</summary>
internal sealed record AttestedAgent
{
    public required SpiffeId SpiffeId { get; init; }

    public required string AttestationType { get; init; }

    public string SvidSerial { get; init; } = string.Empty;

    public DateTimeOffset ExpiresAt { get; init; }

    public bool Banned { get; init; }

    public IReadOnlyList<Selector> Selectors { get; init; } = [];
}
