using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Drill;

/// <summary><c>jwt-id</c>: <c>tessera revoke jwt --spiffe-id ID</c>, every JWT-SVID of the canary client issued before now.</summary>
internal sealed class JwtIdRevocation : IDrillRevocation
{
    public string Name => "jwt-id";

    public CredentialKind Credential => CredentialKind.Jwt;

    public bool RemovesEntry => false;

    public async Task<string> RevokeAsync(DrillAdmin admin, CanaryCredentials credentials, CancellationToken cancellationToken)
    {
        await admin.RevokeJwtAsync(new RevokeJwtSvidsRequest { SpiffeId = credentials.ClientId.ToString() }, cancellationToken);
        return $"every JWT-SVID of {credentials.ClientId} issued before now";
    }
}
