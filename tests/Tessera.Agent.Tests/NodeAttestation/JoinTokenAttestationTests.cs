using Tessera.Agent.Tests.Fakes;

namespace Tessera.Agent.Tests.NodeAttestation;

public sealed class JoinTokenAttestationTests
{
    [Fact]
    public async Task Start_WithJoinToken_AttestsAndPersistsKeyChainAndBundle()
    {
        await using var server = await FakeNodeServer.StartAsync();
        using var directory = new TempDirectory();
        var token = server.NewJoinToken();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory, token));

        await TestAgent.UntilAsync(() => agent.Identity.Svid is not null, "attestation");

        Assert.Equal($"spiffe://example.org/tessera/agent/join_token/{token}", agent.Identity.Svid!.Id.ToString());
        Assert.Equal(1, server.AttestCalls);
        Assert.Empty(server.JoinTokens); // single use: consumed
        foreach (var file in new[] { agent.Store.KeyPath, agent.Store.ChainPath, agent.Store.BundlePath })
        {
            Assert.True(File.Exists(file), file);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        // Traversable (the Workload API socket lives below it), never listable or writable by others.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute, File.GetUnixFileMode(agent.Options.DataDir));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", await File.ReadAllTextAsync(agent.Store.KeyPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_StoredSvidStillValid_SkipsAttestationAndReusesIdentity()
    {
        await using var server = await FakeNodeServer.StartAsync();
        using var directory = new TempDirectory();
        var options = TestAgent.OptionsFor(server, directory);
        string firstId;
        await using (var first = await TestAgent.StartAsync(options))
        {
            await TestAgent.UntilAsync(() => first.Identity.Svid is not null, "attestation");
            firstId = first.Identity.Svid!.Id.ToString();
        }

        // The token is spent; a second attestation would be refused. The restart must not need one.
        await using var second = await TestAgent.StartAsync(options);
        await TestAgent.UntilAsync(() => second.Identity.Svid is not null, "restored SVID");
        server.PutEntry(Entries.Make("e1"));
        await second.UntilSyncedAsync(1);

        Assert.Equal(firstId, second.Identity.Svid!.Id.ToString());
        Assert.Equal(1, server.AttestCalls);
        Assert.Null(second.Termination.Reason);
    }

    [Fact]
    public async Task Start_JoinTokenAlreadyUsed_StopsWithClearReason()
    {
        await using var server = await FakeNodeServer.StartAsync();
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory, joinToken: "never-issued"));

        await TestAgent.UntilAsync(() => agent.Termination.Reason is not null, "the agent to give up");

        Assert.Equal("node attestation (join_token) was refused: attestation failed: PermissionDenied: join token is unknown or already used", agent.Termination.Reason);
        Assert.Null(agent.Identity.Svid);
    }
}
