namespace Tessera.Agent.Cache;

/// <summary>Mints JWT-SVIDs for entries this agent holds (through the server's node API).</summary>
internal interface IJwtSvidMinter
{
    /// <summary>Returns a JWT-SVID (compact JWS) for <paramref name="entry"/> with the given audience.</summary>
    Task<string> MintAsync(AgentEntry entry, IReadOnlyList<string> audience, CancellationToken cancellationToken);
}
