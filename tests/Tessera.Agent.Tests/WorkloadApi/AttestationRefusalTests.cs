using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Agent.WorkloadAttestation;
using Tessera.Contracts.Workload;

namespace Tessera.Agent.Tests.WorkloadApi;

public sealed class AttestationRefusalTests : IAsyncLifetime
{
    private WorkloadApiHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await WorkloadApiHost.StartAsync(services => services.AddSingleton<IWorkloadAttestor>(new RefusingAttestor()));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FetchX509SVID_AttestationRefused_PermissionDeniedWithReasonAndReported()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());

        await StreamReading.AssertStatusAsync(() => call.ResponseStream.NextAsync(), StatusCode.PermissionDenied, "workload exited during attestation");
        var reported = Assert.Single(_host.Events.Events);
        Assert.Equal("denied", reported.Outcome);
        Assert.Equal("workload exited during attestation", reported.Reason);
    }

    [Fact]
    public async Task FetchJWTSVID_AttestationRefused_PermissionDenied()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));

        await StreamReading.AssertStatusAsync(
            () => _host.Client().FetchJWTSVIDAsync(new JWTSVIDRequest { Audience = { "billing" } }, WorkloadApiHost.Options()).ResponseAsync,
            StatusCode.PermissionDenied,
            "workload exited during attestation");
    }

    private sealed class RefusingAttestor : IWorkloadAttestor
    {
        public Task<AttestationResult> AttestAsync(WorkloadPeer peer, CancellationToken cancellationToken) =>
            Task.FromResult(AttestationResult.Refused("workload exited during attestation", []));
    }
}
