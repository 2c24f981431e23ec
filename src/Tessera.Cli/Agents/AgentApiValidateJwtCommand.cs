using System.CommandLine;
using Google.Protobuf;
using Grpc.Core;
using Tessera.Cli.Internal;
using Tessera.Contracts.Workload;

namespace Tessera.Cli.Agents;

/// <summary>
/// <c>tessera agent api validate jwt --audience A --token T|--token-file F</c>: asks the agent to validate a
/// JWT-SVID against the bundles it holds. Prints the SPIFFE ID and claims; never echoes the token.
/// Exit 0 valid, 1 rejected, 2 bad input, 3 agent unreachable.
/// </summary>
internal static class AgentApiValidateJwtCommand
{
    public static Command Create()
    {
        var connection = new WorkloadApiConnection();
        var audience = new Option<string>("--audience") { Description = "the audience this validator identifies as", Required = true };
        var token = new Option<string>("--token") { Description = "the token itself" };
        var tokenFile = new Option<FileInfo>("--token-file") { Description = "a file holding the token" };
        var command = new Command("jwt", "Validate a JWT-SVID through the agent.") { audience, token, tokenFile };
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            if (!TryReadToken(result.GetValue(token), result.GetValue(tokenFile), out var jwt) || !connection.TryResolve(result, out var socket, out var timeout))
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            return WorkloadApiConnection.RunAsync(socket, timeout, async client =>
            {
                try
                {
                    var response = await client.ValidateJWTSVIDAsync(new ValidateJWTSVIDRequest { Audience = result.GetValue(audience)!, Svid = jwt }, WorkloadApiConnection.Call(timeout, cancellationToken)).ConfigureAwait(false);
                    Console.WriteLine($"OK {response.SpiffeId}");
                    Console.WriteLine(JsonFormatter.Default.Format(response.Claims));
                    return ExitCodes.Ok;
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument && ex.Status.Detail.StartsWith("invalid JWT-SVID", StringComparison.Ordinal))
                {
                    Console.WriteLine($"REJECTED: {ex.Status.Detail}");
                    return ExitCodes.Rejected;
                }
            });
        });
        return command;
    }

    private static bool TryReadToken(string? token, FileInfo? file, out string jwt)
    {
        jwt = string.Empty;
        if ((token is null) == (file is null))
        {
            Console.Error.WriteLine("give the token with exactly one of --token or --token-file");
            return false;
        }

        if (file is not null && !InputFiles.TryReadText(file, "--token-file", Console.Error, out token))
        {
            return false;
        }

        jwt = token!.Trim();
        if (jwt.Length == 0)
        {
            Console.Error.WriteLine("the token is empty");
            return false;
        }

        return true;
    }
}
