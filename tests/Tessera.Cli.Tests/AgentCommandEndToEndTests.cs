using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Net.Client;
using Tessera.Contracts.Node.V1;
using Tessera.Contracts.Transport;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Tests;

/// <summary>
/// <c>tessera agent list|show|ban|evict</c> against a real <c>tessera server run</c> process, with one agent
/// attested by a test client over the real agent port (TLS, the server's own SVID).
/// </summary>
public sealed class AgentCommandEndToEndTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(Path.Combine(_dir.Path, "server"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AgentVerbs_ListShowBanEvict_WorkEndToEnd()
    {
        var generated = await Admin("token", "generate", "--output", "json");
        Assert.Equal(0, generated.ExitCode);
        var token = JsonDocument.Parse(generated.StdOut).RootElement;
        var agentId = token.GetProperty("agent_spiffe_id").GetString()!;
        Assert.StartsWith("spiffe://example.org/tessera/agent/join_token/", agentId, StringComparison.Ordinal);

        var attested = await AttestAsync(token.GetProperty("token").GetString()!);
        Assert.Equal(agentId, attested.SpiffeId);

        var list = await Admin("agent", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains($"SPIFFE ID        : {agentId}", list.StdOut, StringComparison.Ordinal);
        Assert.Contains("Attestation type : join_token", list.StdOut, StringComparison.Ordinal);
        Assert.Contains("Banned           : no", list.StdOut, StringComparison.Ordinal);
        Assert.Contains("Found 1 attested agent", list.StdOut, StringComparison.Ordinal);

        var json = JsonDocument.Parse((await Admin("agent", "list", "--output", "json")).StdOut).RootElement;
        Assert.Equal(agentId, json[0].GetProperty("spiffeId").GetString());
        using var leaf = X509CertificateLoader.LoadCertificate(attested.SvidChain[0].Span);
        Assert.Equal(leaf.SerialNumber, json[0].GetProperty("svidSerial").GetString());

        var ban = await Admin("agent", "ban", "--spiffe-id", agentId);
        Assert.Equal(0, ban.ExitCode);
        Assert.Equal($"banned agent {agentId}", ban.StdOut.Trim());
        var shown = JsonDocument.Parse((await Admin("agent", "show", "--spiffe-id", agentId, "--output", "json")).StdOut).RootElement;
        Assert.True(shown[0].GetProperty("banned").GetBoolean());

        var evict = await Admin("agent", "evict", "--spiffe-id", agentId);
        Assert.Equal(0, evict.ExitCode);
        Assert.Equal($"evicted agent {agentId}", evict.StdOut.Trim());
        var gone = await Admin("agent", "show", "--spiffe-id", agentId);
        Assert.Equal(2, gone.ExitCode);
        Assert.Equal($"NotFound: no agent '{agentId}'", gone.StdErr.Trim());
        Assert.Contains("Found 0 attested agents", (await Admin("agent", "list")).StdOut, StringComparison.Ordinal);

        var audit = await Admin("audit", "list", "--output", "json");
        var actions = JsonDocument.Parse(audit.StdOut).RootElement.EnumerateArray().Select(r => r.GetProperty("action").GetString()).ToList();
        Assert.Contains("agent.attest", actions);
        Assert.Contains("agent.ban", actions);
        Assert.Contains("agent.evict", actions);
    }

    [Fact]
    public async Task AgentShow_MalformedId_ExitsTwo()
    {
        var result = await Admin("agent", "show", "--spiffe-id", "not-a-spiffe-id");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("InvalidArgument: spiffe_id: ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentBan_UnknownAgent_ExitsTwoNotFound()
    {
        var result = await Admin("agent", "ban", "--spiffe-id", "spiffe://example.org/tessera/agent/nobody");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("NotFound: no agent 'spiffe://example.org/tessera/agent/nobody'", result.StdErr.Trim());
    }

    private async Task<AttestResult> AttestAsync(string token)
    {
        // The agent's trust in the server: the server SVID must verify against the bundle and name the server.
        using var adminChannel = UnixSocketChannel.Create(_server.Socket);
        var bundleJson = (await new Contracts.Admin.V1.Admin.AdminClient(adminChannel).GetBundleAsync(new Contracts.Admin.V1.GetBundleRequest(), deadline: DateTime.UtcNow.AddSeconds(20))).SpiffeBundleJson;
        var bundle = SpiffeBundle.Parse(TrustDomain.Parse("example.org"), bundleJson);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var copy = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
                    var verified = X509SvidVerifier.Verify([copy], bundle, TimeProvider.System);
                    return verified.IsValid && verified.Id.ToString() == "spiffe://example.org/tessera/server";
                },
            },
        };
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{_server.AgentPort}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=agent", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        using var call = new Node.NodeClient(channel).Attest(deadline: DateTime.UtcNow.AddSeconds(20));
        await call.RequestStream.WriteAsync(new AttestRequest { Params = new AttestParams { Type = "join_token", Payload = ByteString.CopyFromUtf8(token), Csr = ByteString.CopyFrom(csr) } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call.ResponseStream.Current.Result;
    }

    private Task<ExternalTool.Result> Admin(params string[] args) => TesseraProcess.RunAsync([.. args, "--socket", _server.Socket]);
}
