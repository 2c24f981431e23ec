using System.Text.Json;

namespace Tessera.Agent.Tests.WorkloadApi;

/// <summary>
/// A Workload API client nobody here wrote (Node's @grpc/grpc-js with @grpc/proto-loader, interop/grpc-js/fetch.mjs)
/// fetches an X509-SVID and bundles from the real service; openssl then verifies what it wrote.
/// </summary>
public sealed class GrpcJsInteropTests : IAsyncLifetime, IDisposable
{
    private WorkloadApiHost _host = null!;
    private readonly TempDirectory _out = new();

    public async Task InitializeAsync()
    {
        if (!Directory.Exists(RepoPaths.Interop("grpc-js", "node_modules", "@grpc", "grpc-js")))
        {
            throw new InvalidOperationException("@grpc/grpc-js is not installed; run `npm ci` in interop/grpc-js (test.sh does)");
        }

        _host = await WorkloadApiHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    public void Dispose() => _out.Dispose();

    /// <summary>The proto grpc-js loads: the SPIFFE project's published file when TESSERA_SPIFFE_WORKLOAD_PROTO names it, else ours (see interop/grpc-js/PROVENANCE.md).</summary>
    private static string Proto =>
        Environment.GetEnvironmentVariable("TESSERA_SPIFFE_WORKLOAD_PROTO") is { Length: > 0 } path
            ? path
            : Path.Combine(RepoPaths.Root, "src", "Tessera.Contracts", "Protos", "workload.proto");

    [Fact]
    public async Task GrpcJs_FetchX509SvidAndBundles_OpensslVerifiesTheSvid()
    {
        using var intermediate = _host.Ca.CreateIntermediate();
        var entry = WorkloadApiHost.Entry("e1", "/interop/node");
        _host.Publish(entry);
        _host.Cache.Update(s => s with { Svids = s.Svids.SetItem("e1", _host.Issue(entry, intermediate)) });

        var run = await ExternalTool.RunAsync("node", [RepoPaths.Interop("grpc-js", "fetch.mjs"), Proto, _host.SocketPath, _out.Path], workingDirectory: RepoPaths.Interop("grpc-js"));

        run.EnsureSuccess("grpc-js fetch");
        using var summary = JsonDocument.Parse(run.StdOut);
        var root = summary.RootElement;
        Assert.Equal("spiffe://example.org/interop/node", root.GetProperty("svids")[0].GetProperty("spiffe_id").GetString());
        Assert.Equal("hint-e1", root.GetProperty("svids")[0].GetProperty("hint").GetString());
        Assert.Equal(2, root.GetProperty("chain_length").GetInt32());
        Assert.Equal("ec", root.GetProperty("key_type").GetString());
        Assert.True(root.GetProperty("key_matches_leaf").GetBoolean());
        Assert.Equal(["spiffe://partner.test"], root.GetProperty("federated_bundles").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["spiffe://example.org", "spiffe://partner.test"], root.GetProperty("bundles").EnumerateArray().Select(e => e.GetString()));

        var verify = await ExternalTool.RunAsync("openssl", ["verify", "-x509_strict", "-partial_chain", "-CAfile", _out.File("bundle.pem"), "-untrusted", _out.File("intermediates.pem"), _out.File("svid.pem")]);
        Assert.True(verify.ExitCode == 0, verify.StdErr + verify.StdOut);
        Assert.Equal($"{_out.File("svid.pem")}: OK", verify.StdOut.Trim());

        var san = await ExternalTool.RunAsync("openssl", ["x509", "-in", _out.File("svid.pem"), "-noout", "-ext", "subjectAltName"]);
        san.EnsureSuccess("openssl x509");
        Assert.Contains("URI:spiffe://example.org/interop/node", san.StdOut, StringComparison.Ordinal);

        // The federated bundle does not vouch for this trust domain's SVID.
        var foreign = await ExternalTool.RunAsync("openssl", ["verify", "-x509_strict", "-partial_chain", "-CAfile", _out.File("federated-0.pem"), "-untrusted", _out.File("intermediates.pem"), _out.File("svid.pem")]);
        Assert.NotEqual(0, foreign.ExitCode);
    }

    [Fact]
    public async Task GrpcJs_WithoutSecurityHeader_InvalidArgument()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/interop/node"));

        var run = await ExternalTool.RunAsync("node", [RepoPaths.Interop("grpc-js", "fetch.mjs"), Proto, _host.SocketPath, "--no-header"], workingDirectory: RepoPaths.Interop("grpc-js"));

        run.EnsureSuccess("grpc-js fetch --no-header");
        using var result = JsonDocument.Parse(run.StdOut);
        Assert.Equal("INVALID_ARGUMENT", result.RootElement.GetProperty("code").GetString());
        Assert.Equal("security header 'workload.spiffe.io: true' is missing", result.RootElement.GetProperty("details").GetString());
    }

    [Fact]
    public async Task GrpcJs_AsAnotherUser_GetsOnlyThatUsersIdentity()
    {
        // The real attestor on a process it did not start as itself: node running as nobody (65534), via setpriv.
        Assert.True(WorkloadApiHost.OwnUid == 0, "this test switches users with setpriv and must run as root (as test.sh and CI do)");
        var nodeSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes("/usr/bin/node")));
        _host.Publish(
            WorkloadApiHost.Entry("mine", "/root-only"),
            WorkloadApiHost.Entry("nobody", "/nobody/node", "unix:uid:65534", "unix:user:nobody", "unix:gid:65534", "unix:path:/usr/bin/node", "unix:sha256:" + nodeSha256),
            WorkloadApiHost.Entry("nobody-other-binary", "/nobody/curl", "unix:uid:65534", "unix:path:/usr/bin/curl"));
        OpenToOthers(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(_host.SocketPath)))!);
        OpenToOthers(_out.Path, write: true);

        var run = await ExternalTool.RunAsync(
            "setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/node", RepoPaths.Interop("grpc-js", "fetch.mjs"), Proto, _host.SocketPath, _out.Path],
            workingDirectory: RepoPaths.Interop("grpc-js"));

        run.EnsureSuccess("grpc-js fetch as nobody");
        using var summary = JsonDocument.Parse(run.StdOut);
        Assert.Equal(["spiffe://example.org/nobody/node"], summary.RootElement.GetProperty("svids").EnumerateArray().Select(s => s.GetProperty("spiffe_id").GetString()));
    }

    private static void OpenToOthers(string directory, bool write = false) => File.SetUnixFileMode(directory, File.GetUnixFileMode(directory)
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
        | (write ? UnixFileMode.GroupWrite | UnixFileMode.OtherWrite : 0));
}
