using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Configuration;

/// <summary>
/// The agent's validated configuration. Built by <see cref="AgentOptionsLoader"/> from defaults, an optional
/// YAML/JSON file, <c>TESSERA_AGENT_*</c> environment variables and command-line flags (later wins).
/// </summary>
internal sealed record AgentOptions
{
    public required TrustDomain TrustDomain { get; init; }

    /// <summary>host:port of the server's node API (default 127.0.0.1:8081).</summary>
    public required string ServerAddress { get; init; }

    /// <summary>A SPIFFE bundle (JSON) or PEM CA certificates the server's certificate must chain to.</summary>
    public string? TrustBundleFile { get; init; }

    /// <summary>Accept the server's certificate unverified for the first attestation only, then pin the bundle it returns.</summary>
    public bool InsecureBootstrap { get; init; }

    public string? JoinToken { get; init; }

    public string? X509PopCertFile { get; init; }

    public string? X509PopKeyFile { get; init; }

    /// <summary>Holds the agent key, agent SVID and bundle (0700); default tessera-data/agent under the working directory.</summary>
    public required string DataDir { get; init; }

    /// <summary>The Workload API's Unix socket (default &lt;data_dir&gt;/public/api.sock).</summary>
    public required string SocketPath { get; init; }

    /// <summary>host:port for /healthz/live, /healthz/ready and /metrics (default 127.0.0.1:8091).</summary>
    public required string HealthAddress { get; init; }
}
