using Grpc.Core;
using Tessera.Spiffe.WorkloadApi;

namespace Tessera.Cli.Drill;

/// <summary>The agent's <c>ValidateJWTSVID</c> (Workload API): what a workload asking its agent to check a token relies on.</summary>
internal sealed class AgentJwtPoint(WorkloadApiClient client, string audience) : IEnforcementPoint
{
    private string? _token;

    public string Name => "agent ValidateJWTSVID";

    public bool Covers(IDrillRevocation kind) => kind.Credential == CredentialKind.Jwt;

    public Task ArmAsync(CanaryCredentials credentials, CancellationToken cancellationToken)
    {
        _token = credentials.Jwt;
        return Task.CompletedTask;
    }

    public async Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.ValidateJwtSvidAsync(_token ?? throw new InvalidOperationException("not armed"), audience, cancellationToken).ConfigureAwait(false);
            return ProbeResult.Accept();
        }
        catch (WorkloadApiException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            return ProbeResult.Refuse(ex.Message);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
