using System.Globalization;
using Tessera.Hosting.Configuration;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Configuration;

/// <summary>
/// Builds <see cref="ServerOptions"/>: defaults, then the config file, then environment variables
/// (<c>TESSERA_SERVER_TRUST_DOMAIN</c>…), then flags. Every problem is collected and reported together,
/// so an operator fixes a configuration in one pass.
/// </summary>
internal static class ServerOptionsLoader
{
    public const string EnvironmentPrefix = "TESSERA_SERVER_";

    /// <summary>The keys a config file, environment variable or flag may set.</summary>
    public static readonly IReadOnlySet<string> Keys = new HashSet<string>(Federation.FederationOptionsReader.Keys, StringComparer.Ordinal)
    {
        "trust_domain", "data_dir", "admin_socket", "admin_uids", "health_address", "datastore",
        "datastore_connection_string", "key_manager", "ca_ttl", "x509_svid_ttl", "jwt_svid_ttl",
        "upstream_cert_file", "upstream_key_file", "agent_address", "x509pop_ca_bundle", "agent_svid_ttl",
        "oidc_address", "oidc_tls_cert_file", "oidc_tls_key_file", "jwt_issuer", "ca_reissue_delay",
    };

    /// <summary>Loads and validates; throws <see cref="ServerConfigurationException"/> listing every problem.</summary>
    public static ServerOptions Load(string? configFile, IReadOnlyDictionary<string, string> flags, IReadOnlyDictionary<string, string?> environment, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new List<string>();
        var values = LayeredSettings.Collect(configFile, Keys, environment, EnvironmentPrefix, flags, problems);
        var options = Build(values, workingDirectory, problems);
        if (options is not null)
        {
            // The CA's own rules (e.g. SVID TTLs at most a sixth of the CA TTL, so rotation never cuts an SVID short).
            problems.AddRange(Hosting.ServerComposition.ToCaOptions(options).Validate());
        }

        return problems.Count == 0 ? options! : throw new ServerConfigurationException(problems);
    }

    private static ServerOptions? Build(Dictionary<string, string> values, string workingDirectory, List<string> problems)
    {
        string Get(string key, string fallback) => values.TryGetValue(key, out var v) ? v : fallback;

        if (!TrustDomain.TryParse(Get("trust_domain", "example.org"), out var trustDomain, out var tdError))
        {
            problems.Add($"trust_domain: {tdError}");
        }

        var dataDir = Path.GetFullPath(Get("data_dir", "tessera-data/server"), workingDirectory);
        var adminSocket = Path.GetFullPath(Get("admin_socket", Path.Combine(dataDir, "admin.sock")), workingDirectory);
        UnixSocketPath.CheckLength("admin_socket", adminSocket, problems);

        var adminUids = ParseUids(values.GetValueOrDefault("admin_uids"), problems);
        var health = Get("health_address", "127.0.0.1:8090");
        if (!HealthAddress.TryParse(health, out _))
        {
            problems.Add($"health_address: '{health}' is not ip:port or localhost:port (e.g. 127.0.0.1:8090)");
        }

        var datastore = Get("datastore", "sqlite");
        values.TryGetValue("datastore_connection_string", out var connectionString);
        if (datastore is not ("sqlite" or "postgres"))
        {
            problems.Add($"datastore: '{datastore}' is not one of sqlite, postgres");
        }
        else if (datastore == "postgres" && string.IsNullOrWhiteSpace(connectionString))
        {
            problems.Add("datastore_connection_string: required when datastore is postgres (e.g. Host=db;Database=tessera;Username=tessera)");
        }

        var keyManager = Get("key_manager", "disk");
        if (keyManager is not ("disk" or "memory"))
        {
            problems.Add($"key_manager: '{keyManager}' is not one of disk, memory");
        }

        var caTtl = Duration("ca_ttl", Get("ca_ttl", "24h"), problems);
        var x509Ttl = Duration("x509_svid_ttl", Get("x509_svid_ttl", "1h"), problems);
        var jwtTtl = Duration("jwt_svid_ttl", Get("jwt_svid_ttl", "5m"), problems);
        if (caTtl > TimeSpan.Zero && x509Ttl >= caTtl)
        {
            problems.Add($"x509_svid_ttl: {Get("x509_svid_ttl", "1h")} must be shorter than ca_ttl ({Get("ca_ttl", "24h")}) so SVIDs never outlive their CA");
        }

        var reissueDelay = Duration("ca_reissue_delay", Get("ca_reissue_delay", "2s"), problems);
        if (reissueDelay > TimeSpan.FromMinutes(10))
        {
            problems.Add($"ca_reissue_delay: {Get("ca_reissue_delay", "2s")} is longer than 10m; SVIDs of a tainted CA would stay in use that long");
        }

        if (caTtl > TimeSpan.Zero && jwtTtl >= caTtl)
        {
            problems.Add($"jwt_svid_ttl: {Get("jwt_svid_ttl", "5m")} must be shorter than ca_ttl ({Get("ca_ttl", "24h")})");
        }

        values.TryGetValue("upstream_cert_file", out var upstreamCert);
        values.TryGetValue("upstream_key_file", out var upstreamKey);
        if ((upstreamCert is null) != (upstreamKey is null))
        {
            problems.Add("upstream_cert_file and upstream_key_file: give both or neither");
        }

        foreach (var file in new[] { upstreamCert, upstreamKey })
        {
            if (file is not null && !File.Exists(Path.GetFullPath(file, workingDirectory)))
            {
                problems.Add($"upstream file '{file}' does not exist");
            }
        }

        var agentAddress = Get("agent_address", "127.0.0.1:8081");
        if (!HealthAddress.TryParse(agentAddress, out _))
        {
            problems.Add($"agent_address: '{agentAddress}' is not ip:port or localhost:port (e.g. 127.0.0.1:8081)");
        }

        TimeSpan? agentSvidTtl = values.TryGetValue("agent_svid_ttl", out var agentTtlText) ? Duration("agent_svid_ttl", agentTtlText, problems) : null;
        if (agentSvidTtl is { } agentTtl && caTtl > TimeSpan.Zero && agentTtl > caTtl / 6)
        {
            problems.Add($"agent_svid_ttl: {agentTtlText} is longer than ca_ttl / 6 ({caTtl / 6}); raise ca_ttl or lower agent_svid_ttl");
        }

        values.TryGetValue("x509pop_ca_bundle", out var x509PopBundle);
        if (x509PopBundle is not null)
        {
            x509PopBundle = Path.GetFullPath(x509PopBundle, workingDirectory);
            if (Attestation.X509Pop.X509PopTrust.TryLoad(x509PopBundle, out _, out var bundleError) is false)
            {
                problems.Add($"x509pop_ca_bundle: {bundleError}");
            }
        }

        var oidc = OidcSettings.Read(values, workingDirectory, problems);
        var federation = Federation.FederationOptionsReader.Read(values, trustDomain, caTtl, workingDirectory, problems);
        if (problems.Count > 0)
        {
            return null;
        }

        return new ServerOptions
        {
            TrustDomain = trustDomain,
            DataDir = dataDir,
            AdminSocket = adminSocket,
            AdminUids = adminUids,
            HealthAddress = health,
            Datastore = datastore,
            DatastoreConnectionString = connectionString,
            KeyManager = keyManager,
            CaTtl = caTtl,
            X509SvidTtl = x509Ttl,
            JwtSvidTtl = jwtTtl,
            CaReissueDelay = reissueDelay,
            UpstreamCertFile = upstreamCert is null ? null : Path.GetFullPath(upstreamCert, workingDirectory),
            UpstreamKeyFile = upstreamKey is null ? null : Path.GetFullPath(upstreamKey, workingDirectory),
            AgentAddress = agentAddress,
            X509PopCaBundle = x509PopBundle,
            AgentSvidTtl = agentSvidTtl,
            OidcAddress = oidc.Address,
            OidcTlsCertFile = oidc.CertFile,
            OidcTlsKeyFile = oidc.KeyFile,
            JwtIssuer = oidc.Issuer,
            Federation = federation,
        };
    }

    private static TimeSpan Duration(string key, string text, List<string> problems)
    {
        if (DurationParser.TryParse(text, out var value, out var error))
        {
            return value;
        }

        problems.Add($"{key}: {error}");
        return TimeSpan.Zero;
    }

    private static int[] ParseUids(string? text, List<string> problems)
    {
        var self = (int)Internal.Libc.GetUid();
        if (string.IsNullOrWhiteSpace(text))
        {
            return self == 0 ? [0] : [self, 0];
        }

        var uids = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                uids.Add(uid);
            }
            else
            {
                problems.Add($"admin_uids: '{part}' is not a numeric uid");
            }
        }

        return [.. uids];
    }
}
