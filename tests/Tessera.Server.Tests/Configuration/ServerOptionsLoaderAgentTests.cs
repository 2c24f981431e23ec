using Tessera.Server.Configuration;

namespace Tessera.Server.Tests.Configuration;

/// <summary>The node API settings: agent_address, x509pop_ca_bundle, agent_svid_ttl.</summary>
public sealed class ServerOptionsLoaderAgentTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_NoSettings_AgentDefaults()
    {
        var options = Load(new Dictionary<string, string>());

        Assert.Equal("127.0.0.1:8081", options.AgentAddress);
        Assert.Null(options.X509PopCaBundle);
        Assert.Null(options.AgentSvidTtl);
    }

    [Fact]
    public void Load_EnvironmentAndFlags_SetAgentSettings()
    {
        using var ca = TestCa.CreateRoot("nodes.example");
        File.WriteAllText(_dir.File("nodes.pem"), ca.Certificate.ExportCertificatePem());
        var environment = new Dictionary<string, string?> { ["TESSERA_SERVER_AGENT_ADDRESS"] = "0.0.0.0:9443" };

        var options = ServerOptionsLoader.Load(null, new Dictionary<string, string> { ["x509pop_ca_bundle"] = "nodes.pem", ["agent_svid_ttl"] = "30m" }, environment, _dir.Path);

        Assert.Equal("0.0.0.0:9443", options.AgentAddress);
        Assert.Equal(_dir.File("nodes.pem"), options.X509PopCaBundle);
        Assert.Equal(TimeSpan.FromMinutes(30), options.AgentSvidTtl);
    }

    [Fact]
    public void Load_BadAgentSettings_EveryProblemListed()
    {
        File.WriteAllText(_dir.File("junk.pem"), "not a certificate");

        var ex = Assert.Throws<ServerConfigurationException>(() => Load(new Dictionary<string, string>
        {
            ["agent_address"] = "agents.example:8081",
            ["agent_svid_ttl"] = "5h",
            ["x509pop_ca_bundle"] = "junk.pem",
        }));

        Assert.Contains("agent_address: 'agents.example:8081' is not ip:port or localhost:port (e.g. 127.0.0.1:8081)", ex.Problems);
        Assert.Contains("agent_svid_ttl: 5h is longer than ca_ttl / 6 (04:00:00); raise ca_ttl or lower agent_svid_ttl", ex.Problems);
        Assert.Single(ex.Problems, p => p.StartsWith($"x509pop_ca_bundle: '{_dir.File("junk.pem")}' is not a PEM file of CA certificates: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MissingX509PopBundle_Problem()
    {
        var ex = Assert.Throws<ServerConfigurationException>(() => Load(new Dictionary<string, string> { ["x509pop_ca_bundle"] = "absent.pem" }));

        Assert.Equal([$"x509pop_ca_bundle: '{_dir.File("absent.pem")}' does not exist"], ex.Problems);
    }

    private ServerOptions Load(Dictionary<string, string> flags) =>
        ServerOptionsLoader.Load(null, flags, new Dictionary<string, string?>(), _dir.Path);
}
