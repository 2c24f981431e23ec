namespace Tessera.Agent.Cache;

/// <summary>Mints JWT-SVIDs for entries this agent holds (through the server's node API).</summary>
internal interface IJwtSvidMinter
{
    /// <summary>
    /// Returns a JWT-SVID (compact JWS) for <paramref name="entry"/> with the given audience; with
    /// <paramref name="bindTo"/> (the DER leaf of the entry's current X509-SVID), a token bound to that certificate
    /// (<c>cnf.x5t#S256</c>).
    /// </summary>
    Task<string> MintAsync(AgentEntry entry, IReadOnlyList<string> audience, byte[]? bindTo, CancellationToken cancellationToken);
}
