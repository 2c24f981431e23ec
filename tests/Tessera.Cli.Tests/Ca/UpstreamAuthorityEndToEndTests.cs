using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Tessera.Spiffe.WorkloadApi;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Tests.Ca;

/// <summary>
/// A trust domain under an operator's CA made by openssl: <c>tessera server run</c> with <c>upstream_cert_file</c> and
/// <c>upstream_key_file</c>, an agent attested against the operator's root, workloads served SVIDs that openssl
/// verifies against that root alone, before and after an emergency rotation of Tessera's intermediate.
/// </summary>
public sealed class UpstreamAuthorityEndToEndTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ServerUnderOperatorRoot_AgentAndSeveralWorkloads_SvidsChainToTheOperatorRoot()
    {
        var (root, config) = await OperatorRootAsync();

        // Attesting the agent issues an SVID under the upstream chain; every later SVID must still carry that chain.
        await using var domain = await LocalTrustDomain.StartAsync(_dir.Path, "--config", config);
        await domain.CreateEntryAsync("spiffe://example.org/upstream/first");
        await domain.CreateEntryAsync("spiffe://example.org/upstream/second");
        await domain.WaitForSvidsAsync("spiffe://example.org/upstream/first", "spiffe://example.org/upstream/second");

        var written = Path.Combine(_dir.Path, "written");
        var fetched = await TesseraProcess.RunAsync("agent", "api", "fetch", "x509", "--socket", domain.Socket, "--write", written, "--timeout", "10s");
        Assert.True(fetched.ExitCode == 0, fetched.StdErr);
        var bundle = await File.ReadAllTextAsync(Path.Combine(written, "bundle.pem"));
        Assert.Equal(NormalisedPem(await File.ReadAllTextAsync(root)), NormalisedPem(bundle));
        var svid = Path.Combine(written, "svid.pem");
        Assert.Equal(2, (await File.ReadAllTextAsync(svid)).Split("BEGIN CERTIFICATE").Length - 1); // leaf + Tessera's intermediate

        await AssertOpensslVerifiesAsync(root, svid);

        // A second agent with no trust bundle (insecure_bootstrap): the server's certificate it accepted blindly must
        // chain, through the intermediates the server sent, to the root in the bundle the server returns.
        var token = JsonDocument.Parse((await domain.AdminAsync("token", "generate", "--output", "json")).EnsureSuccess("token generate").StdOut).RootElement;
        await using (await ServerProcess.StartAgentAsync(Path.Combine(_dir.Path, "bootstrap-agent"),
            "--server-address", $"127.0.0.1:{domain.Server.AgentPort}", "--insecure-bootstrap", "--join-token", token.GetProperty("token").GetString()!))
        {
            var agents = (await domain.AdminAsync("agent", "list")).EnsureSuccess("agent list").StdOut;
            Assert.Contains(token.GetProperty("agent_spiffe_id").GetString()!, agents, StringComparison.Ordinal);
        }

        // Gone for good: evicting it revokes its SVID, which would otherwise hold the old intermediate until it expires.
        (await domain.AdminAsync("agent", "evict", "--spiffe-id", token.GetProperty("agent_spiffe_id").GetString()!, "--reason", "e2e: bootstrap agent stopped")).EnsureSuccess("agent evict");

        var beforeRotation = await File.ReadAllTextAsync(svid);
        var firstIntermediate = Intermediate(beforeRotation);

        // An emergency rotation under the upstream: a new intermediate signs, the agent re-issues its own SVID and the
        // workloads' under it, and its Sync stream keeps authenticating (the server completes the agent's path).
        (await domain.AdminAsync("ca", "rotate", "--now", "--kind", "x509", "--reason", "e2e: upstream rotation")).EnsureSuccess("ca rotate");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string rotated;
        while (true)
        {
            var again = await TesseraProcess.RunAsync("agent", "api", "fetch", "x509", "--socket", domain.Socket, "--write", written, "--timeout", "10s");
            rotated = again.ExitCode == 0 ? await File.ReadAllTextAsync(svid) : string.Empty;
            if (rotated.Length > 0 && Intermediate(rotated) != firstIntermediate)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no SVID under the new intermediate within 60 s: {again.StdErr}");
            await Task.Delay(300);
        }

        await AssertOpensslVerifiesAsync(root, svid);
        await domain.CreateEntryAsync("spiffe://example.org/upstream/after-rotation");
        await domain.WaitForSvidsAsync("spiffe://example.org/upstream/after-rotation");

        // Once re-issuance is complete the old intermediate is removed and, because the upstream root still vouches for
        // it, revoked: it reaches the SDK's deny list through the agent, and a chain through it is refused.
        var old = new X509Certificate2Collection();
        old.ImportFromPem(beforeRotation);
        var oldKeyId = KeyIdentifiers.Subject(old[1])!;
        await using var denyList = await DenyListSource.CreateAsync(new WorkloadApiSourceOptions { Address = domain.Socket, InitialTimeout = TimeSpan.FromSeconds(30) });
        var revokedBy = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!denyList.DenyList.Authorities.ContainsKey(oldKeyId))
        {
            Assert.True(DateTime.UtcNow < revokedBy, $"the old intermediate {oldKeyId} did not reach the deny list within 60 s: {(await domain.AdminAsync("ca", "show")).StdOut}");
            await Task.Delay(200);
        }

        using var rootCertificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(root));
        Assert.Equal($"the CA key {oldKeyId} ({old[1].Subject}) in the chain of certificate serial {old[0].SerialNumber} is revoked", denyList.DenyList.CheckX509Chain([old[0], old[1], rootCertificate]));
        // Relying parties that check the server's CRLs (openssl -crl_check, nginx ssl_crl) refuse a leaf of the removed
        // intermediate too: no CRL signed by it is published any more, so its leaves cannot be checked and fail closed.
        // The current SVID, under the new intermediate, still passes the same check.
        var oldLeaf = _dir.File("old-leaf.pem");
        await File.WriteAllTextAsync(oldLeaf, beforeRotation);
        var crl = _dir.File("crl.pem");
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            var crlBy = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                await File.WriteAllTextAsync(crl, await http.GetStringAsync(new Uri($"http://127.0.0.1:{domain.Server.HealthPort}/crl.pem")));
                var refused = await OpensslCrlCheckAsync(root, crl, oldLeaf);
                if (refused.ExitCode != 0)
                {
                    Assert.Contains("unable to get certificate CRL", refused.StdOut + refused.StdErr, StringComparison.Ordinal);
                    break;
                }

                Assert.True(DateTime.UtcNow < crlBy, "the CRLs still cover the removed intermediate after 60 s");
                await Task.Delay(300);
            }
        }

        var current = await OpensslCrlCheckAsync(root, crl, svid);
        Assert.True(current.ExitCode == 0, current.StdOut + current.StdErr);

        var listed = (await domain.AdminAsync("revoke", "list")).EnsureSuccess("revoke list").StdOut;
        Assert.Contains($"every chain through the X.509 CA key {oldKeyId}: revoked ", listed, StringComparison.Ordinal);
        Assert.Contains("ca.authority.revoke", (await domain.AdminAsync("audit", "list", "--action", "ca.authority.revoke")).EnsureSuccess("audit list").StdOut, StringComparison.Ordinal);
        Assert.Equal(0, (await domain.AdminAsync("audit", "verify")).ExitCode);
    }

    [Fact]
    public async Task RotationDrill_UnderOperatorRoot_PassesAndSaysTheBundlesHoldTheRoot()
    {
        var (_, config) = await OperatorRootAsync();
        await using var domain = await LocalTrustDomain.StartAsync(_dir.Path, "--config", config);

        var run = await ExternalTool.RunAsync("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "tessera.dll"), "drill", "rotation", "--admin-socket", domain.Server.Socket, "--socket", domain.Socket,
             "--workloads", "20", "--reason", "e2e upstream rotation drill", "--json"],
            timeout: TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, $"drill exited {run.ExitCode}: {run.StdOut} {run.StdErr}");
        var result = JsonDocument.Parse(run.StdOut.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(0, result.GetProperty("failed_requests").GetInt64());
        Assert.Equal(0, result.GetProperty("not_reissued").GetInt32());
        Assert.True(result.GetProperty("upstream_authority").GetBoolean());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("old_key_removed_ms").ValueKind);
        Assert.True(result.GetProperty("passed").GetBoolean());
    }

    // An operator's root CA made by openssl, and a server config naming it as the upstream authority.
    private async Task<(string Root, string Config)> OperatorRootAsync()
    {
        var root = _dir.File("root.pem");
        var rootKey = _dir.File("root.key");
        var made = await ExternalTool.RunAsync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", rootKey, "-out", root, "-days", "30", "-subj", "/O=Operator/CN=Operator Root",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
        Assert.True(made.ExitCode == 0, made.StdErr);
        var config = _dir.File("server.yaml");
        await File.WriteAllTextAsync(config, $"upstream_cert_file: {root}\nupstream_key_file: {rootKey}\n");
        return (root, config);
    }

    private static async Task AssertOpensslVerifiesAsync(string root, string chain)
    {
        var verified = await ExternalTool.RunAsync("openssl", ["verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", root, "-untrusted", chain, chain]);
        Assert.True(verified.ExitCode == 0, verified.StdOut + verified.StdErr);
    }

    private static Task<ExternalTool.Result> OpensslCrlCheckAsync(string root, string crl, string chain) =>
        ExternalTool.RunAsync("openssl", ["verify", "-crl_check", "-CAfile", root, "-CRLfile", crl, "-untrusted", chain, chain]);

    private static string Intermediate(string chainPem) => chainPem.Split("-----BEGIN CERTIFICATE-----")[2];

    private static string NormalisedPem(string pem) => pem.Replace("\r", string.Empty, StringComparison.Ordinal).Trim();
}
