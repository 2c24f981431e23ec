using Tessera.Agent.Configuration;
using Tessera.Agent.NodeAttestation;
using Tessera.Agent.Tests.Fakes;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Tests.Configuration;

public sealed class AgentOptionsLoaderTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public void Load_OnlyRequiredFlags_DocumentedDefaults()
    {
        using var directory = new TempDirectory();

        var options = Load(directory, flags: new() { ["join_token"] = "tok", ["insecure_bootstrap"] = "true" });

        Assert.Equal("example.org", options.TrustDomain.Name);
        Assert.Equal("127.0.0.1:8081", options.ServerAddress);
        Assert.Equal(Path.Combine(directory.Path, "tessera-data", "agent"), options.DataDir);
        Assert.Equal(Path.Combine(directory.Path, "tessera-data", "agent", "public", "api.sock"), options.SocketPath);
        Assert.Equal("127.0.0.1:8091", options.HealthAddress);
        Assert.True(options.InsecureBootstrap);
        Assert.Equal("tok", options.JoinToken);
        Assert.Null(options.TrustBundleFile);
    }

    [Fact]
    public void Load_FileThenEnvironmentThenFlags_LaterWins()
    {
        using var directory = new TempDirectory();
        using var ca = TestCa.CreateRoot();
        File.WriteAllText(directory.File("ca.pem"), ca.Certificate.ExportCertificatePem());
        File.WriteAllText(directory.File("agent.yaml"), "trust_domain: prod.example\nserver_address: file:1\nhealth_address: 127.0.0.1:9000\ntrust_bundle: ca.pem\njoin_token: from-file\n");
        var environment = new Dictionary<string, string?> { ["TESSERA_AGENT_SERVER_ADDRESS"] = "env:2", ["TESSERA_AGENT_HEALTH_ADDRESS"] = "127.0.0.1:9001", ["PATH"] = "/bin" };

        var options = AgentOptionsLoader.Load(directory.File("agent.yaml"), new Dictionary<string, string> { ["server_address"] = "flag:3" }, environment, directory.Path, TimeProvider.System);

        Assert.Equal("prod.example", options.TrustDomain.Name);
        Assert.Equal("flag:3", options.ServerAddress);
        Assert.Equal("127.0.0.1:9001", options.HealthAddress);
        Assert.Equal(directory.File("ca.pem"), options.TrustBundleFile);
        Assert.Equal("from-file", options.JoinToken);
    }

    [Fact]
    public void Load_JsonFileWithSpiffeBundle_Accepted()
    {
        using var directory = new TempDirectory();
        using var ca = TestCa.CreateRoot();
        var bundle = new Spiffe.Bundles.SpiffeBundle(TrustDomain.Parse("example.org"), new Spiffe.Bundles.X509Bundle(TrustDomain.Parse("example.org"), [ca.Certificate]));
        File.WriteAllText(directory.File("bundle.json"), bundle.ToJson());
        File.WriteAllText(directory.File("agent.json"), "{\"trust_bundle\": \"bundle.json\", \"join_token\": \"t\", \"insecure_bootstrap\": false}");

        var options = AgentOptionsLoader.Load(directory.File("agent.json"), new Dictionary<string, string>(), NoEnvironment, directory.Path, TimeProvider.System);

        Assert.Equal(directory.File("bundle.json"), options.TrustBundleFile);
        Assert.False(options.InsecureBootstrap);
    }

    [Fact]
    public void Load_ManyMistakes_ReportsEveryProblemAtOnce()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("node.pem"), "x");
        var environment = new Dictionary<string, string?> { ["TESSERA_AGENT_SERVR_ADDRESS"] = "typo:1" };
        Assert.False(TrustDomain.TryParse("Bad Domain", out _, out var tdError));

        var error = Assert.Throws<AgentConfigurationException>(() => AgentOptionsLoader.Load(null, new Dictionary<string, string>
        {
            ["trust_domain"] = "Bad Domain",
            ["server_address"] = "no-port",
            ["insecure_bootstrap"] = "maybe",
            ["health_address"] = "somewhere:80",
            ["join_token"] = "tok",
            ["x509pop_cert_file"] = "node.pem",
        }, environment, directory.Path, TimeProvider.System));

        Assert.Equal(
        [
            "environment variable TESSERA_AGENT_SERVR_ADDRESS: unknown setting 'servr_address'",
            $"trust_domain: {tdError}",
            "server_address: 'no-port' is not host:port (e.g. tessera-server.internal:8081)",
            "insecure_bootstrap: 'maybe' is not true or false",
            "health_address: 'somewhere:80' is not ip:port or localhost:port (e.g. 127.0.0.1:8091)",
            "trust_bundle: required to verify the server (or set insecure_bootstrap: true to trust the first server reached, once)",
            "x509pop_cert_file and x509pop_key_file: give both or neither",
            "join_token and x509pop_cert_file: configure one node attestor, not both",
        ], error.Problems);
        Assert.StartsWith("invalid agent configuration:\n  - environment variable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TrustBundleAndInsecureBootstrap_Refused()
    {
        using var directory = new TempDirectory();
        using var ca = TestCa.CreateRoot();
        File.WriteAllText(directory.File("ca.pem"), ca.Certificate.ExportCertificatePem());

        var error = Assert.Throws<AgentConfigurationException>(() => Load(directory, flags: new() { ["trust_bundle"] = "ca.pem", ["insecure_bootstrap"] = "true", ["join_token"] = "t" }));

        Assert.Equal(["trust_bundle and insecure_bootstrap: give one, not both (insecure_bootstrap skips the very check trust_bundle makes)"], error.Problems);
    }

    [Fact]
    public void Load_TrustBundleNotCertificates_Refused()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("ca.pem"), "not a certificate");

        var error = Assert.Throws<AgentConfigurationException>(() => Load(directory, flags: new() { ["trust_bundle"] = "ca.pem", ["join_token"] = "t" }));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith($"trust_bundle: '{directory.File("ca.pem")}' is not a SPIFFE bundle or PEM CA certificates: ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoAttestorAndNoStoredSvid_Refused()
    {
        using var directory = new TempDirectory();

        var error = Assert.Throws<AgentConfigurationException>(() => Load(directory, flags: new() { ["insecure_bootstrap"] = "true" }));

        Assert.Equal(["join_token or x509pop_cert_file + x509pop_key_file: a node attestor is required (there is no valid agent SVID from an earlier run)"], error.Problems);
    }

    [Fact]
    public async Task Load_StoredBundleAndValidSvid_NeedsNeitherBootstrapNorAttestor()
    {
        using var directory = new TempDirectory();
        await StoreStateAsync(directory);

        var options = Load(directory, flags: []);

        Assert.Null(options.JoinToken);
        Assert.False(options.InsecureBootstrap);
    }

    [Fact]
    public async Task Load_StoredSvidExpired_AttestorRequiredAgain()
    {
        using var directory = new TempDirectory();
        await StoreStateAsync(directory);
        var later = new ManualClock(DateTimeOffset.UtcNow.AddHours(2));

        var error = Assert.Throws<AgentConfigurationException>(() => AgentOptionsLoader.Load(null, new Dictionary<string, string>(), NoEnvironment, directory.Path, later));

        Assert.Equal(["join_token or x509pop_cert_file + x509pop_key_file: a node attestor is required (there is no valid agent SVID from an earlier run)"], error.Problems);
    }

    [Fact]
    public void Load_UnknownKeyInFile_Refused()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("agent.yaml"), "join_tokn: t\ninsecure_bootstrap: true\njoin_token: t\n");

        var error = Assert.Throws<AgentConfigurationException>(() => AgentOptionsLoader.Load(directory.File("agent.yaml"), new Dictionary<string, string>(), NoEnvironment, directory.Path, TimeProvider.System));

        Assert.Equal([$"config file '{directory.File("agent.yaml")}': unknown setting 'join_tokn'"], error.Problems);
    }

    private static AgentOptions Load(TempDirectory directory, Dictionary<string, string> flags) =>
        AgentOptionsLoader.Load(null, flags, NoEnvironment, directory.Path, TimeProvider.System);

    private static async Task StoreStateAsync(TempDirectory directory)
    {
        using var ca = TestCa.CreateRoot();
        using var svid = ca.IssueSvid("/tessera/agent/join_token/x");
        var dataDir = Path.Combine(directory.Path, "tessera-data", "agent");
        Directory.CreateDirectory(dataDir);
        var store = new AgentStateStore(dataDir);
        await store.SaveSvidAsync(AgentSvid.Parse(System.Text.Encoding.ASCII.GetBytes(svid.ChainPem), System.Text.Encoding.ASCII.GetBytes(svid.KeyPem)), CancellationToken.None);
        var domain = TrustDomain.Parse("example.org");
        await store.SaveBundleAsync(new Spiffe.Bundles.SpiffeBundle(domain, new Spiffe.Bundles.X509Bundle(domain, [ca.Certificate])), CancellationToken.None);
    }
}
