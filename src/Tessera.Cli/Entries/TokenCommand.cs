using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;
using Tessera.Hosting.Configuration;

namespace Tessera.Cli.Entries;

/// <summary><c>tessera token generate [--ttl 10m] [--spiffe-id ID]</c>: a single-use join token for node attestation.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var ttl = new Option<string>("--ttl") { Description = "how long the token may be used (default 10m)", DefaultValueFactory = _ => "10m" };
        var spiffeId = new Option<string>("--spiffe-id") { Description = "the SPIFFE ID the agent will get (default: derived from the token)" };
        var generate = new Command("generate", "Generate a single-use, expiring join token. It is printed once and stored only as a hash.") { socket, output, ttl, spiffeId };
        generate.SetAction((result, _) =>
        {
            if (!DurationParser.TryParse(result.GetValue(ttl), out var lifetime, out var error))
            {
                Console.Error.WriteLine($"--ttl: {error}");
                return Task.FromResult(ExitCodes.BadInput);
            }

            return AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
            {
                var request = new GenerateJoinTokenRequest { TtlSeconds = (int)Math.Min(int.MaxValue, lifetime.TotalSeconds), SpiffeId = result.GetValue(spiffeId) ?? string.Empty };
                var token = await client.GenerateJoinTokenAsync(request, deadline: AdminConnection.CallDeadline());
                var expires = DateTimeOffset.FromUnixTimeSeconds(token.ExpiresAtUnix);
                // The join token is printed exactly once, on purpose: the operator hands it to the agent.
                Console.WriteLine(result.GetValue(output) == "json"
                    ? $"{{\"token\":\"{token.Token}\",\"expires_at\":\"{expires:O}\",\"agent_spiffe_id\":\"{token.AgentSpiffeId}\"}}"
                    : $"Token: {token.Token}\nExpires: {expires:yyyy-MM-ddTHH:mm:ssZ}\nAgent ID: {token.AgentSpiffeId}");
                return ExitCodes.Ok;
            });
        });
        return new Command("token", "Join tokens for node attestation.") { generate };
    }
}
