using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Cli.Internal;
using Tessera.Hosting.Files;
using Tessera.Server.Configuration;
using Tessera.Server.Datastore;
using Tessera.Server.Datastore.Postgres;
using Tessera.Server.Hosting;

namespace Tessera.Cli.Server;

/// <summary>
/// <c>tessera server run</c>: starts the server with zero configuration (data directory, SQLite datastore,
/// self-signed root CA and admin socket created on first run) or with a config file, environment variables
/// and flags. Stops gracefully on SIGTERM/SIGINT.
/// </summary>
internal static class ServerRunCommand
{
    private static readonly (string Flag, string Key, string Description)[] Flags =
    [
        ("--trust-domain", "trust_domain", "trust domain name (default example.org)"),
        ("--data-dir", "data_dir", "data directory (default tessera-data/server under the working directory)"),
        ("--admin-socket", "admin_socket", "admin Unix socket (default <data-dir>/admin.sock)"),
        ("--admin-uids", "admin_uids", "comma-separated uids allowed on the admin socket (default: the server's uid and root)"),
        ("--health-address", "health_address", "host:port for /healthz/live, /healthz/ready and /metrics (default 127.0.0.1:8090)"),
        ("--datastore", "datastore", "sqlite (default) or postgres"),
        ("--datastore-connection-string", "datastore_connection_string", "PostgreSQL connection string (with --datastore postgres)"),
        ("--key-manager", "key_manager", "disk (default) or memory"),
        ("--ca-ttl", "ca_ttl", "CA lifetime (default 24h)"),
        ("--x509-svid-ttl", "x509_svid_ttl", "X509-SVID lifetime (default 1h)"),
        ("--jwt-svid-ttl", "jwt_svid_ttl", "JWT-SVID lifetime (default 5m)"),
        ("--upstream-cert-file", "upstream_cert_file", "upstream CA certificate (PEM): Tessera's CA becomes its intermediate"),
        ("--upstream-key-file", "upstream_key_file", "upstream CA private key (PKCS#8 PEM)"),
        ("--agent-address", "agent_address", "ip:port of the agent (node API) listener, TLS (default 127.0.0.1:8081)"),
        ("--x509pop-ca-bundle", "x509pop_ca_bundle", "PEM file of CA certificates trusted for x509pop node attestation (default: x509pop off)"),
        ("--agent-svid-ttl", "agent_svid_ttl", "agent SVID lifetime (default: x509_svid_ttl)"),
        ("--oidc-address", "oidc_address", "ip:port serving OIDC discovery and the JWK Set for JWT-SVID relying parties (default: off)"),
        ("--oidc-tls-cert-file", "oidc_tls_cert_file", "PEM certificate for the OIDC listener (default: plain HTTP)"),
        ("--oidc-tls-key-file", "oidc_tls_key_file", "PEM private key for the OIDC listener"),
        ("--jwt-issuer", "jwt_issuer", "iss claim of JWT-SVIDs and the OIDC issuer (default: the OIDC listener's URL, else none)"),
        ("--federation-bundle-endpoint-address", "federation_bundle_endpoint_address", "ip:port serving this trust domain's SPIFFE bundle over HTTPS at / (default: off)"),
        ("--federation-bundle-endpoint-profile", "federation_bundle_endpoint_profile", "https_spiffe (default: TLS with the server SVID) or https_web (with the cert and key files below)"),
        ("--federation-bundle-endpoint-cert-file", "federation_bundle_endpoint_cert_file", "https_web: PEM certificate chain of the bundle endpoint"),
        ("--federation-bundle-endpoint-key-file", "federation_bundle_endpoint_key_file", "https_web: PEM private key of the bundle endpoint"),
        ("--federation-bundle-endpoint-refresh-hint", "federation_bundle_endpoint_refresh_hint", "spiffe_refresh_hint published with the bundle (default: ca_ttl/12, at most 5m)"),
        ("--federates-with", "federates_with", "comma-separated 'TRUST_DOMAIN URL https_spiffe ENDPOINT_SPIFFE_ID' or 'TRUST_DOMAIN URL https_web': bundle endpoints to fetch from"),
        ("--federation-web-ca-file", "federation_web_ca_file", "PEM roots trusted for https_web bundle endpoints besides the system's"),
    ];

    public static Command Create()
    {
        var config = new Option<FileInfo>("--config") { Description = "YAML or JSON file of settings (keys as in the README, e.g. trust_domain)" };
        var command = new Command("run", "Run the server in the foreground until SIGTERM.") { config };
        var settings = new SettingFlags(command, Flags);

        command.SetAction(async (result, cancellationToken) =>
        {
            var flags = settings.Read(result);

            var environment = SettingFlags.Environment();
            ServerOptions serverOptions;
            try
            {
                serverOptions = ServerOptionsLoader.Load(result.GetValue(config)?.FullName, flags, environment, Environment.CurrentDirectory);
            }
            catch (ServerConfigurationException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return ExitCodes.BadInput;
            }

            try
            {
                // One server per data directory and per datastore, taken before anything is read or written.
                using var dataDirectoryLock = DataDirectoryLock.Acquire(serverOptions.DataDir, "server");
                using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
                await using var datastoreLock = serverOptions.Datastore == "postgres"
                    ? await PostgresServerLock.AcquireAsync(serverOptions.DatastoreConnectionString!, TimeProvider.System, loggerFactory.CreateLogger("Tessera.Server.Datastore"), cancellationToken)
                    : null;
                await using var store = await ServerComposition.OpenDataStoreAsync(serverOptions, TimeProvider.System, cancellationToken);
                using var ca = await ServerComposition.OpenCertificateAuthorityAsync(serverOptions, store, TimeProvider.System, loggerFactory.CreateLogger("Tessera.Server.Ca"), cancellationToken);
                await using var app = ServerHost.Build(serverOptions, ServerComposition.Configure(store, ca));
                await app.StartAsync(cancellationToken);
                await app.WaitForShutdownAsync(cancellationToken);
                return ExitCodes.Ok;
            }
            catch (ServerConfigurationException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return ExitCodes.BadInput;
            }
            catch (Exception ex) when (ex is ServerAlreadyRunningException or DataDirectoryInUseException)
            {
                Console.Error.WriteLine(ex.Message);
                return ExitCodes.Unavailable;
            }
            catch (DataStoreUnavailableException ex)
            {
                Console.Error.WriteLine($"datastore unavailable: {ex.Message}");
                return ExitCodes.Unavailable;
            }
            catch (IOException ex) when (ListenFailure.Is(ex))
            {
                return ListenFailure.Report(ex, "--agent-address, --health-address, --oidc-address");
            }
        });
        return command;
    }
}
