using Tessera.Agent.NodeAttestation;
using Tessera.Agent.NodeClient;
using Tessera.Hosting.Configuration;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Configuration;

/// <summary>
/// Builds <see cref="AgentOptions"/>: defaults, then the config file, then environment variables
/// (<c>TESSERA_AGENT_SERVER_ADDRESS</c>…), then flags. Every problem is collected and reported together.
/// Some rules depend on what an earlier run left in the data directory (a bundle, a still-valid agent SVID).
/// </summary>
internal static class AgentOptionsLoader
{
    public const string EnvironmentPrefix = "TESSERA_AGENT_";

    /// <summary>The keys a config file, environment variable or flag may set.</summary>
    public static readonly IReadOnlySet<string> Keys = new HashSet<string>(StringComparer.Ordinal)
    {
        "trust_domain", "server_address", "trust_bundle", "insecure_bootstrap", "join_token",
        "x509pop_cert_file", "x509pop_key_file", "data_dir", "socket_path", "health_address",
    };

    /// <summary>Loads and validates; throws <see cref="AgentConfigurationException"/> listing every problem.</summary>
    public static AgentOptions Load(string? configFile, IReadOnlyDictionary<string, string> flags, IReadOnlyDictionary<string, string?> environment, string workingDirectory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(time);
        var problems = new List<string>();
        var values = LayeredSettings.Collect(configFile, Keys, environment, EnvironmentPrefix, flags, problems);
        var options = Build(values, workingDirectory, time, problems);
        return problems.Count == 0 ? options : throw new AgentConfigurationException(problems);
    }

    private static AgentOptions Build(Dictionary<string, string> values, string workingDirectory, TimeProvider time, List<string> problems)
    {
        string Get(string key, string fallback) => values.TryGetValue(key, out var v) && v.Length > 0 ? v : fallback;
        string? Optional(string key) => values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
        string? FullPath(string? path) => path is null ? null : Path.GetFullPath(path, workingDirectory);

        if (!TrustDomain.TryParse(Get("trust_domain", "example.org"), out var trustDomain, out var tdError))
        {
            problems.Add($"trust_domain: {tdError}");
        }

        var serverAddress = Get("server_address", "127.0.0.1:8081");
        if (!ServerAddress.TryParse(serverAddress, out _))
        {
            problems.Add($"server_address: '{serverAddress}' is not host:port (e.g. tessera-server.internal:8081)");
        }

        var insecure = false;
        if (Optional("insecure_bootstrap") is { } insecureText && !bool.TryParse(insecureText, out insecure))
        {
            problems.Add($"insecure_bootstrap: '{insecureText}' is not true or false");
        }

        var dataDir = Path.GetFullPath(Get("data_dir", "tessera-data/agent"), workingDirectory);
        var socketPath = Path.GetFullPath(Get("socket_path", Path.Combine(dataDir, "public", "api.sock")), workingDirectory);
        UnixSocketPath.CheckLength("socket_path", socketPath, problems);

        var health = Get("health_address", "127.0.0.1:8091");
        if (!HealthAddress.TryParse(health, out _))
        {
            problems.Add($"health_address: '{health}' is not ip:port or localhost:port (e.g. 127.0.0.1:8091)");
        }

        var store = new AgentStateStore(dataDir);
        var trustBundle = FullPath(Optional("trust_bundle"));
        CheckTrustBundle(trustDomain, trustBundle, insecure, store, problems);

        var joinToken = Optional("join_token");
        var popCert = FullPath(Optional("x509pop_cert_file"));
        var popKey = FullPath(Optional("x509pop_key_file"));
        CheckAttestor(joinToken, popCert, popKey, store, time, problems);

        return new AgentOptions
        {
            TrustDomain = trustDomain,
            ServerAddress = serverAddress,
            TrustBundleFile = trustBundle,
            InsecureBootstrap = insecure,
            JoinToken = joinToken,
            X509PopCertFile = popCert,
            X509PopKeyFile = popKey,
            DataDir = dataDir,
            SocketPath = socketPath,
            HealthAddress = health,
        };
    }

    private static void CheckTrustBundle(TrustDomain trustDomain, string? trustBundle, bool insecure, AgentStateStore store, List<string> problems)
    {
        if (trustBundle is not null && insecure)
        {
            problems.Add("trust_bundle and insecure_bootstrap: give one, not both (insecure_bootstrap skips the very check trust_bundle makes)");
        }
        else if (trustBundle is null && !insecure && !File.Exists(store.BundlePath))
        {
            problems.Add("trust_bundle: required to verify the server (or set insecure_bootstrap: true to trust the first server reached, once)");
        }

        if (trustBundle is not null && !trustDomain.IsZero)
        {
            try
            {
                _ = TrustBundleFile.Load(trustDomain, trustBundle);
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                problems.Add($"trust_bundle: '{trustBundle}' is not a SPIFFE bundle or PEM CA certificates: {ex.Message}");
            }
        }
    }

    private static void CheckAttestor(string? joinToken, string? popCert, string? popKey, AgentStateStore store, TimeProvider time, List<string> problems)
    {
        if ((popCert is null) != (popKey is null))
        {
            problems.Add("x509pop_cert_file and x509pop_key_file: give both or neither");
        }

        foreach (var file in new[] { popCert, popKey })
        {
            if (file is not null && !File.Exists(file))
            {
                problems.Add($"x509pop file '{file}' does not exist");
            }
        }

        var x509pop = popCert is not null || popKey is not null;
        if (joinToken is not null && x509pop)
        {
            // Deliberately stricter than "pick one": with two attestors configured, which one re-attests after an
            // eviction would be a guess.
            problems.Add("join_token and x509pop_cert_file: configure one node attestor, not both");
        }
        else if (joinToken is null && !x509pop && !HasValidStoredSvid(store, time))
        {
            problems.Add("join_token or x509pop_cert_file + x509pop_key_file: a node attestor is required (there is no valid agent SVID from an earlier run)");
        }
    }

    private static bool HasValidStoredSvid(AgentStateStore store, TimeProvider time) =>
        store.LoadSvid(out _) is { } svid && svid.IsValidAt(time.GetUtcNow());
}
