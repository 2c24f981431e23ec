using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Agent.WorkloadAttestation;
using Tessera.Agent.WorkloadAttestation.Unix;
using Tessera.Agent.Tests.WorkloadApi;

namespace Tessera.Agent.Tests.WorkloadAttestation;

public sealed class UnixWorkloadAttestorTests : IDisposable
{
    private readonly PeerSockets _sockets = new();

    public void Dispose() => _sockets.Dispose();

    private static UnixWorkloadAttestor Attestor(string procRoot = "/proc") =>
        new(new ExecutableHashCache(), new UnixAccounts(), NullLogger<UnixWorkloadAttestor>.Instance, procRoot);

    [Fact]
    public async Task AttestAsync_OwnProcess_KernelIdsPathAndSha256()
    {
        var (client, server) = await _sockets.ConnectSelfAsync();
        using var c = client;
        using var s = server;
        using var peer = WorkloadPeer.TryRead(server)!;

        var result = await Attestor().AttestAsync(peer, CancellationToken.None);

        Assert.NotNull(peer.PidFd); // this machine's kernel (6.18) has SO_PEERPIDFD
        Assert.Equal(Environment.ProcessId, peer.Credentials.Pid);
        Assert.False(result.IsRefused);
        var exe = new FileInfo("/proc/self/exe").LinkTarget!;
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(exe)));
        Assert.Contains(WorkloadApiHost.OwnUidSelector, result.Selectors);
        Assert.Contains($"unix:gid:{peer.Credentials.Gid}", result.Selectors);
        Assert.Contains($"unix:path:{exe}", result.Selectors);
        Assert.Contains($"unix:sha256:{sha256}", result.Selectors);
        var user = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).FirstOrDefault(f => f.Length > 2 && f[2] == WorkloadApiHost.OwnUid.ToString(System.Globalization.CultureInfo.InvariantCulture))?[0];
        if (user is not null)
        {
            Assert.Contains($"unix:user:{user}", result.Selectors);
        }

        foreach (var gid in ProcStatus.Parse(File.ReadAllText("/proc/self/status"))!.Groups)
        {
            Assert.Contains($"unix:supplementary_gid:{gid}", result.Selectors);
        }

        var (cgroup, _) = ContainerCgroup.Parse(File.ReadAllText("/proc/self/cgroup"));
        Assert.Contains($"unix:cgroup:{cgroup}", result.Selectors);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public async Task AttestAsync_ProcessExitedBeforeAttestation_RefusedViaPidFd()
    {
        using var peer = await PeerOfExitedProcessAsync(keepPidFd: true);

        var result = await Attestor().AttestAsync(peer, CancellationToken.None);

        Assert.True(result.IsRefused);
        Assert.Equal("workload exited during attestation", result.Refusal);
        Assert.Empty(result.Selectors);
    }

    [Fact]
    public async Task AttestAsync_ProcessExitedWithoutPidFd_RefusedViaStartTime()
    {
        using var peer = await PeerOfExitedProcessAsync(keepPidFd: false);

        var result = await Attestor().AttestAsync(peer, CancellationToken.None);

        Assert.Equal("workload exited during attestation", result.Refusal);
    }

    [Fact]
    public async Task AttestAsync_ProcUnreadable_KernelSelectorsAndProblemsNoCrash()
    {
        using var empty = new TempDirectory();
        var (client, server) = await _sockets.ConnectSelfAsync();
        using var c = client;
        using var s = server;
        using var peer = WorkloadPeer.TryRead(server)!;

        var result = await Attestor(empty.Path).AttestAsync(peer, CancellationToken.None);

        Assert.False(result.IsRefused);
        Assert.Contains(WorkloadApiHost.OwnUidSelector, result.Selectors);
        Assert.DoesNotContain(result.Selectors, s => s.StartsWith("unix:sha256:", StringComparison.Ordinal));
        Assert.Equal(3, result.Problems.Count);
        Assert.Contains(result.Problems, p => p.Contains("no path or sha256 selector", StringComparison.Ordinal));
    }

    /// <summary>A node process connects, the agent side reads its peer (and pidfd), then the process exits and is reaped.</summary>
    private async Task<WorkloadPeer> PeerOfExitedProcessAsync(bool keepPidFd)
    {
        var psi = new ProcessStartInfo("node") { RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-e");
        psi.ArgumentList.Add("const s = require('net').connect(process.argv[1]); process.stdin.on('end', () => process.exit(0)); process.stdin.resume();");
        psi.ArgumentList.Add(_sockets.Path);
        using var process = Process.Start(psi)!;
        using var server = await _sockets.AcceptAsync();
        var read = WorkloadPeer.TryRead(server)!;
        Assert.Equal(process.Id, read.Credentials.Pid);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await process.WaitForExitAsync(cts.Token);
        if (keepPidFd)
        {
            Assert.NotNull(read.PidFd);
            return read;
        }

        read.Dispose();
        return new WorkloadPeer(read.Credentials, null);
    }
}
