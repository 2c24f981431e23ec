using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Agent.NodeAttestation;
using Tessera.Agent.NodeAttestation.JoinToken;
using Tessera.Agent.NodeClient;
using Tessera.Agent.Tests.Fakes;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Agent.Tests.NodeClient;

public sealed class ServerVerificationTests
{
    private static readonly TrustDomain Domain = TrustDomain.Parse("example.org");

    [Fact]
    public async Task InsecureBootstrap_AcceptsFirstServerThenPinsReturnedBundle()
    {
        await using var server = await FakeNodeServer.StartAsync();
        using var directory = new TempDirectory();
        var options = TestAgent.OptionsFor(server, directory) with { TrustBundleFile = null, InsecureBootstrap = true };
        server.PutEntry(Entries.Make("e1"));
        await using var agent = await TestAgent.StartAsync(options);

        // Sync and signing run on the verifying channel: they work only if the pinned bundle verifies the server.
        await agent.UntilSyncedAsync(1);

        var pinned = SpiffeBundle.Parse(Domain, await File.ReadAllTextAsync(agent.Store.BundlePath));
        Assert.True(pinned.X509Bundle.Contains(server.Ca));
        Assert.Null(agent.Services.GetService(typeof(ServerCertificateValidator)) is ServerCertificateValidator v ? v.LastFailure : "missing");
    }

    [Fact]
    public async Task Attest_ServerCertificateFromUntrustedCa_RefusedWithReason()
    {
        await using var server = await FakeNodeServer.StartAsync();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherCa = X509SvidIssuer.CreateAuthority(Domain, otherKey, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var harness = new Harness(server.Port, new SpiffeBundle(Domain, new X509Bundle(Domain, [otherCa])));

        var outcome = await harness.Client.AttestAsync(new JoinTokenAttestorClient(server.NewJoinToken()), insecureBootstrap: false, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(outcome.Succeeded);
        Assert.False(outcome.Refused); // transient from the agent's view: it keeps retrying, the operator fixes the bundle
        Assert.Equal(
            "attestation failed: server certificate refused: the server certificate does not verify against the trust bundle of example.org: certificate chain does not lead to an authority in the X.509 bundle of trust domain 'example.org'",
            outcome.Error);
        Assert.Equal(0, server.AttestCalls);
    }

    [Fact]
    public async Task Attest_ServerCertificateWithWrongSpiffeId_RefusedWithReason()
    {
        await using var server = await FakeNodeServer.StartAsync(serverId: "spiffe://example.org/not-the-server");
        using var harness = new Harness(server.Port, SpiffeBundle.Parse(Domain, server.BundleJson));

        var outcome = await harness.Client.AttestAsync(new JoinTokenAttestorClient(server.NewJoinToken()), insecureBootstrap: false, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(
            "attestation failed: server certificate refused: the server certificate is for 'spiffe://example.org/not-the-server', not 'spiffe://example.org/tessera/server'",
            outcome.Error);
        Assert.Equal(0, server.AttestCalls);
    }

    [Fact]
    public async Task InsecureBootstrap_ReturnedBundleDoesNotVouchForServer_Refused()
    {
        await using var server = await FakeNodeServer.StartAsync();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherCa = X509SvidIssuer.CreateAuthority(Domain, otherKey, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        server.BundleJson = new SpiffeBundle(Domain, new X509Bundle(Domain, [otherCa])).ToJson();
        using var harness = new Harness(server.Port, bundle: null);

        var outcome = await harness.Client.AttestAsync(new JoinTokenAttestorClient(server.NewJoinToken()), insecureBootstrap: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(
            "insecure bootstrap failed: the server's certificate is not vouched for by the bundle it returned (certificate chain does not lead to an authority in the X.509 bundle of trust domain 'example.org')",
            outcome.Error);
    }

    [Fact]
    public async Task Attest_WithoutBundleAndWithoutInsecureBootstrap_RefusedBeforeAnyCall()
    {
        await using var server = await FakeNodeServer.StartAsync();
        using var harness = new Harness(server.Port, bundle: null);

        var outcome = await harness.Client.AttestAsync(new JoinTokenAttestorClient(server.NewJoinToken()), insecureBootstrap: false, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("attestation failed: server certificate refused: no trust bundle to verify the server with", outcome.Error);
        Assert.Equal(0, server.AttestCalls);
    }

    private sealed class Harness : IDisposable
    {
        public Harness(int port, SpiffeBundle? bundle)
        {
            var identity = new AgentIdentity();
            if (bundle is not null)
            {
                identity.SetBundle(bundle);
            }

            var validator = new ServerCertificateValidator(identity, Domain, TimeProvider.System);
            Connection = new NodeConnection(new Uri($"https://127.0.0.1:{port}"), identity, validator, new NodeClientSettings(), NullLogger<NodeConnection>.Instance);
            Client = new AttestationClient(Connection, identity, Domain, TimeProvider.System);
        }

        public NodeConnection Connection { get; }

        public AttestationClient Client { get; }

        public void Dispose() => Connection.Dispose();
    }
}
