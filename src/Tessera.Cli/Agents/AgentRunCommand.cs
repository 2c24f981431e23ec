using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Agent.Configuration;
using Tessera.Agent.Hosting;
using Tessera.Cli.Internal;
using Tessera.Hosting.Files;

namespace Tessera.Cli.Agents;

/// <summary>
/// <c>tessera agent run</c>: attests to the server (or restores the agent SVID a previous run stored), syncs
/// entries, keeps SVIDs signed and rotated, and serves health and metrics, until SIGTERM/SIGINT. Settings come from
/// defaults, a config file, <c>TESSERA_AGENT_*</c> environment variables and flags (later wins).
/// </summary>
internal static class AgentRunCommand
{
    private static readonly (string Flag, string Key, string Description)[] Flags =
    [
        ("--trust-domain", "trust_domain", "trust domain name (default example.org)"),
        ("--server-address", "server_address", "host:port of the server's node API (default 127.0.0.1:8081)"),
        ("--trust-bundle", "trust_bundle", "SPIFFE bundle (JSON) or PEM CA certificates that verify the server"),
        ("--join-token", "join_token", "single-use join token (node attestation)"),
        ("--x509pop-cert-file", "x509pop_cert_file", "node certificate chain, PEM (x509pop node attestation)"),
        ("--x509pop-key-file", "x509pop_key_file", "node private key, PEM (x509pop node attestation)"),
        ("--data-dir", "data_dir", "data directory for the agent key, SVID and bundle (default tessera-data/agent)"),
        ("--socket-path", "socket_path", "Workload API Unix socket (default <data-dir>/public/api.sock)"),
        ("--health-address", "health_address", "ip:port for /healthz/live, /healthz/ready and /metrics (default 127.0.0.1:8091)"),
    ];

    public static Command Create()
    {
        var config = new Option<FileInfo>("--config") { Description = "YAML or JSON file of settings (keys as in the README, e.g. server_address)" };
        var insecure = new Option<bool>("--insecure-bootstrap") { Description = "trust the server's certificate unverified for the first attestation only, then pin its bundle" };
        var command = new Command("run", "Run the agent in the foreground until SIGTERM.") { config, insecure };
        var settings = new SettingFlags(command, Flags);

        command.SetAction(async (result, cancellationToken) =>
        {
            var flags = settings.Read(result);

            if (result.GetValue(insecure))
            {
                flags["insecure_bootstrap"] = "true";
            }

            var environment = SettingFlags.Environment();
            try
            {
                var agentOptions = AgentOptionsLoader.Load(result.GetValue(config)?.FullName, flags, environment, Environment.CurrentDirectory, TimeProvider.System);

                // One agent per data directory (its key, SVID and bundle), taken before any of them is read or written.
                using var dataDirectoryLock = DataDirectoryLock.Acquire(agentOptions.DataDir, "agent");
                await using var app = AgentHost.Build(agentOptions, TimeProvider.System, configureLogging: logging => logging.AddSimpleConsole(console => console.SingleLine = true));
                await app.StartAsync(cancellationToken);
                await app.WaitForShutdownAsync(cancellationToken);
                if (app.Services.GetRequiredService<AgentTermination>().Reason is { } reason)
                {
                    Console.Error.WriteLine($"agent stopped: {reason}");
                    return ExitCodes.Unavailable;
                }

                return ExitCodes.Ok;
            }
            catch (AgentConfigurationException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return ExitCodes.BadInput;
            }
            catch (DataDirectoryInUseException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return ExitCodes.Unavailable;
            }
            catch (IOException ex) when (ListenFailure.Is(ex))
            {
                return ListenFailure.Report(ex, "--health-address");
            }
        });
        return command;
    }
}
