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

    /// <summary>The serial of the SVID this agent held before its last renewal ("" if none).</summary>
    public string PreviousSvidSerial { get; init; } = string.Empty;

    /// <summary>Until when <see cref="PreviousSvidSerial"/> is still accepted (so a lost renewal response does not strand the agent).</summary>
    public DateTimeOffset PreviousSvidGraceUntil { get; init; }

    public IReadOnlyList<Selector> Selectors { get; init; } = [];
}
