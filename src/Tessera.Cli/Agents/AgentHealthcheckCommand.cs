using System.CommandLine;
using Tessera.Cli.Internal;

namespace Tessera.Cli.Agents;

/// <summary><c>tessera agent healthcheck</c>: asks the agent's readiness endpoint; exit 0 when ready (attested and synced).</summary>
internal static class AgentHealthcheckCommand
{
    public static Command Create()
    {
        var address = new Option<string>("--health-address")
        {
            Description = "the agent's health_address (default: $TESSERA_AGENT_HEALTH_ADDRESS or 127.0.0.1:8091)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_AGENT_HEALTH_ADDRESS") ?? "127.0.0.1:8091",
        };
        var command = new Command("healthcheck", "Check that a local agent is attested and synced; exit 0 if ready, 1 if starting, 3 if unreachable.") { address };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{result.GetValue(address)}/healthz/ready"), cancellationToken);
                var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
                Console.WriteLine($"agent {body}");
                return response.IsSuccessStatusCode ? ExitCodes.Ok : ExitCodes.Rejected;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
            {
                Console.Error.WriteLine($"agent unreachable at {result.GetValue(address)}: {ex.Message}");
                return ExitCodes.Unavailable;
            }
        });
        return command;
    }
}
