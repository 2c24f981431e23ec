using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Jwt;
using Tessera.Spiffe.Revocation;

namespace Tessera.Cli.Drill;

/// <summary>
/// JWT-SVID validation in the SDK, as a relying party would run it in process: signature, expiry and audience
/// against the Workload API's JWT bundles (<see cref="JwtSvidValidator"/>), then the agent's deny list
/// (<c>DenyListSource</c>-fed <see cref="DenyList.CheckJwt"/>).
/// </summary>
internal sealed class SdkJwtPoint(IJwtBundleSource bundles, IDenyListSource denyList, string audience, TimeProvider time) : IEnforcementPoint
{
    private string? _token;

    public string Name => "SDK JWT-SVID validation + deny list";

    public bool Covers(IDrillRevocation kind) => kind.Credential == CredentialKind.Jwt;

    public Task ArmAsync(CanaryCredentials credentials, CancellationToken cancellationToken)
    {
        _token = credentials.Jwt;
        return Task.CompletedTask;
    }

    public Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var result = JwtSvidValidator.Validate(_token ?? throw new InvalidOperationException("not armed"), bundles, audience, time, TimeSpan.Zero);
        if (!result.IsValid)
        {
            return Task.FromResult(ProbeResult.Refuse($"{result.Error}: {result.Message}"));
        }

        var svid = result.Svid!;
        var revoked = denyList.DenyList.CheckJwt(svid.Id, svid.JwtId, svid.IssuedAt);
        return Task.FromResult(revoked is null ? ProbeResult.Accept() : ProbeResult.Refuse(revoked));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
