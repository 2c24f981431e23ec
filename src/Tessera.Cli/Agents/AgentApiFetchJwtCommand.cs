using System.CommandLine;
using Tessera.Cli.Internal;
using Tessera.Contracts.Workload;

namespace Tessera.Cli.Agents;

/// <summary>
/// <c>tessera agent api fetch jwt --audience A [--spiffe-id ID] [--bind-x509]</c>: prints a JWT-SVID per identity.
/// The token is the output the user asked for, so it goes to standard output, each on its own line after its SPIFFE
/// ID; it is never written anywhere else. With <c>--bind-x509</c> each token is bound to the identity's current
/// X509-SVID (<c>cnf.x5t#S256</c>) and must be fetched again after that SVID rotates.
/// </summary>
internal static class AgentApiFetchJwtCommand
{
    public static Command Create()
    {
        var connection = new WorkloadApiConnection();
        var audience = new Option<string[]>("--audience") { Description = "the audience the token is for (repeat for several)", Required = true, AllowMultipleArgumentsPerToken = true };
        var spiffeId = new Option<string>("--spiffe-id") { Description = "only this identity's token (default: every identity of this process)" };
        var bind = new Option<bool>("--bind-x509") { Description = "bind each token to the identity's current X509-SVID (cnf.x5t#S256, RFC 8705); re-fetch after the SVID rotates" };
        var command = new Command("jwt", "Fetch JWT-SVIDs for an audience from the agent.") { audience, spiffeId, bind };
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var audiences = result.GetValue(audience) ?? [];
            if (audiences.Length == 0 || audiences.Any(string.IsNullOrWhiteSpace))
            {
                Console.Error.WriteLine("--audience: must not be empty");
                return Task.FromResult(ExitCodes.BadInput);
            }

            if (!connection.TryResolve(result, out var socket, out var timeout))
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            return WorkloadApiConnection.RunAsync(socket, timeout, async client =>
            {
                var request = new JWTSVIDRequest { SpiffeId = result.GetValue(spiffeId) ?? string.Empty };
                request.Audience.Add(audiences);
                var options = WorkloadApiConnection.Call(timeout, cancellationToken);
                if (result.GetValue(bind))
                {
                    options.Headers!.Add(JwtBindingMetadata.Header, JwtBindingMetadata.X5tS256);
                }

                var response = await client.FetchJWTSVIDAsync(request, options).ConfigureAwait(false);
                foreach (var svid in response.Svids)
                {
                    Console.WriteLine($"SPIFFE ID: {svid.SpiffeId}{(svid.Hint.Length > 0 ? $" (hint: {svid.Hint})" : string.Empty)}");
                    Console.WriteLine(svid.Svid);
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
