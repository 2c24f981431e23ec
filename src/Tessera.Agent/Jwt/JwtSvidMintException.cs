namespace Tessera.Agent.Jwt;

/// <summary>
/// A JWT-SVID could not be minted (server unreachable, entry refused). <see cref="Cache.IJwtSvidMinter"/> returns a
/// token, so a failure has to be an exception there; the message is safe to send to the workload.
/// </summary>
internal sealed class JwtSvidMintException(string message, bool refused) : Exception(message)
{
    /// <summary>True when the server refused the request (not worth retrying at once); false for transient failures.</summary>
    public bool Refused { get; } = refused;
}
