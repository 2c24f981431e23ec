using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Drill;

/// <summary><c>jwt-jti</c>: <c>tessera revoke jwt --jti J</c> on the canary's JWT-SVID, with its expiry so the record leaves the deny list with it.</summary>
internal sealed class JwtJtiRevocation : IDrillRevocation
{
    public string Name => "jwt-jti";

    public CredentialKind Credential => CredentialKind.Jwt;

    public bool RemovesEntry => false;

    public async Task<string> RevokeAsync(DrillAdmin admin, CanaryCredentials credentials, CancellationToken cancellationToken)
    {
        await admin.RevokeJwtAsync(new RevokeJwtSvidsRequest { Jti = credentials.Jti, ExpiresAtUnix = credentials.JwtExpiry.ToUnixTimeSeconds() }, cancellationToken);
        return $"JWT-SVID jti {credentials.Jti}";
    }
}
