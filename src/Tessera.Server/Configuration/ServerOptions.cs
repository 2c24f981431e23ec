using Tessera.Spiffe.Ids;

namespace Tessera.Server.Configuration;

/// <summary>
/// The server's validated configuration. Built by <see cref="ServerOptionsLoader"/> from defaults, an optional
/// YAML/JSON file, <c>TESSERA_SERVER_*</c> environment variables and command-line flags (later wins).
/// Every default is documented in the README.
/// </summary>
internal sealed record ServerOptions
{
    public required TrustDomain TrustDomain { get; init; }

    /// <summary>Directory for the SQLite datastore, keys and the admin socket; created (0700) on first run.</summary>
    public required string DataDir { get; init; }

    public required string AdminSocket { get; init; }

    /// <summary>uids allowed on the admin socket (kernel peer credentials); default: the server's own uid and root.</summary>
    public required IReadOnlyList<int> AdminUids { get; init; }

    /// <summary>host:port of the local HTTP endpoint serving /healthz/live, /healthz/ready and /metrics.</summary>
    public required string HealthAddress { get; init; }

    /// <summary><c>sqlite</c> (default, a file in the data directory) or <c>postgres</c>.</summary>
    public required string Datastore { get; init; }

    public string? DatastoreConnectionString { get; init; }

    /// <summary><c>disk</c> (default: PKCS#8 files, 0600, in the data directory) or <c>memory</c>.</summary>
    public required string KeyManager { get; init; }

    public required TimeSpan CaTtl { get; init; }

    public required TimeSpan X509SvidTtl { get; init; }

    public required TimeSpan JwtSvidTtl { get; init; }

    /// <summary>
    /// After an emergency rotation (<c>tessera ca rotate --now</c>), how long agents wait before re-issuing SVIDs signed
    /// by the tainted key, so the new key reaches every relying party's bundle first; re-issues are then spread over
    /// the same length again. Default 2s (config key <c>ca_reissue_delay</c>).
    /// </summary>
    public TimeSpan CaReissueDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>PEM certificate of an upstream CA; with <see cref="UpstreamKeyFile"/>, Tessera's CA becomes its intermediate.</summary>
    public string? UpstreamCertFile { get; init; }

    public string? UpstreamKeyFile { get; init; }

    /// <summary>
    /// ip:port of the agent (node API) listener, TLS with the server's own SVID. The loader's default is
    /// 127.0.0.1:8081; null (only when options are built in code, e.g. by tests) runs no agent listener.
    /// </summary>
    public string? AgentAddress { get; init; }

    /// <summary>PEM file of the CA certificates trusted for x509pop node certificates; null disables x509pop.</summary>
    public string? X509PopCaBundle { get; init; }

    /// <summary>Lifetime of agent SVIDs; null means <see cref="X509SvidTtl"/>.</summary>
    public TimeSpan? AgentSvidTtl { get; init; }

    /// <summary>ip:port of the OIDC discovery listener (<c>/.well-known/openid-configuration</c> and <c>/keys</c>); null (the default) runs none.</summary>
    public string? OidcAddress { get; init; }

    /// <summary>PEM certificate and key for the OIDC listener; both null serves plain HTTP (behind a TLS-terminating proxy).</summary>
    public string? OidcTlsCertFile { get; init; }

    /// <inheritdoc cref="OidcTlsCertFile"/>
    public string? OidcTlsKeyFile { get; init; }

    /// <summary>The <c>iss</c> claim of JWT-SVIDs and the OIDC issuer; null mints JWT-SVIDs without <c>iss</c>.</summary>
    public string? JwtIssuer { get; init; }

    /// <summary>Bundle endpoint and federation relationships (<c>federation_*</c>, <c>federates_with</c>); off by default.</summary>
    public Federation.FederationOptions Federation { get; init; } = Tessera.Server.Federation.FederationOptions.Off;
}
