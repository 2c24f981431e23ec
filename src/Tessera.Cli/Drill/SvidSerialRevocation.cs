using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Drill;

/// <summary><c>svid-serial</c>: <c>tessera revoke svid --serial S</c> on the canary's current X509-SVID.</summary>
internal sealed class SvidSerialRevocation : IDrillRevocation
{
    public string Name => "svid-serial";

    public CredentialKind Credential => CredentialKind.X509;

    public bool RemovesEntry => false;

    public async Task<string> RevokeAsync(DrillAdmin admin, CanaryCredentials credentials, CancellationToken cancellationToken)
    {
        await admin.RevokeX509Async(new RevokeX509SvidsRequest { Serial = credentials.Serial }, cancellationToken);
        return $"X509-SVID serial {credentials.Serial}";
    }
}
