using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Drill;

/// <summary>
/// The canary client's credentials one revocation takes away: its X509-SVID (a private copy, so the Workload API
/// stream replacing it later does not dispose it under the probes) and a JWT-SVID. Never printed whole.
/// </summary>
internal sealed class CanaryCredentials(SpiffeId clientId, string entryId, X509Svid svid, string jwt, string jti, DateTimeOffset jwtExpiry) : IDisposable
{
    public SpiffeId ClientId { get; } = clientId;

    /// <summary>Gets the id of the client's registration entry.</summary>
    public string EntryId { get; } = entryId;

    public X509Svid Svid { get; } = svid;

    /// <summary>Gets the X509-SVID's serial, upper-case hex as the CRL and <c>tessera agent api fetch x509</c> show it.</summary>
    public string Serial => Svid.Certificate.SerialNumber;

    public string Jwt { get; } = jwt;

    public string Jti { get; } = jti;

    public DateTimeOffset JwtExpiry { get; } = jwtExpiry;

    public void Dispose() => Svid.Dispose();
}
