using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Drill;

/// <summary><c>svid-id</c>: <c>tessera revoke svid --spiffe-id ID</c>, every current X509-SVID of the canary client.</summary>
internal sealed class SvidIdRevocation : IDrillRevocation
{
    public string Name => "svid-id";

    public CredentialKind Credential => CredentialKind.X509;

    public bool RemovesEntry => false;

    public async Task<string> RevokeAsync(DrillAdmin admin, CanaryCredentials credentials, CancellationToken cancellationToken)
    {
        await admin.RevokeX509Async(new RevokeX509SvidsRequest { SpiffeId = credentials.ClientId.ToString() }, cancellationToken);
        return $"every X509-SVID of {credentials.ClientId}";
    }
}
