using System.CommandLine;
using Tessera.Cli.Internal;

namespace Tessera.Cli.Server;

/// <summary><c>tessera server healthcheck</c>: asks the server's readiness endpoint; exit 0 when ready.</summary>
internal static class ServerHealthcheckCommand
{
    public static Command Create()
    {
        var address = new Option<string>("--address")
        {
            Description = "the server's health_address (default: $TESSERA_SERVER_HEALTH_ADDRESS or 127.0.0.1:8090)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_SERVER_HEALTH_ADDRESS") ?? "127.0.0.1:8090",
        };
        var command = new Command("healthcheck", "Check that a local server is up and ready; exit 0 if ready, 1 if starting, 3 if unreachable.") { address };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{result.GetValue(address)}/healthz/ready"), cancellationToken);
                var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
                Console.WriteLine($"server {body}");
                return response.IsSuccessStatusCode ? ExitCodes.Ok : ExitCodes.Rejected;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
            {
                Console.Error.WriteLine($"server unreachable at {result.GetValue(address)}: {ex.Message}");
                return ExitCodes.Unavailable;
            }
        });
        return command;
    }
}
