using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Revocations;

/// <summary><c>tessera revoke list [--output json]</c>: the revocations in force (unexpired), oldest first.</summary>
internal static class RevokeListCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var command = new Command("list", "List the revocations in force.") { socket, output };
        command.SetAction((result, _) => AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
        {
            var response = await client.ListRevocationsAsync(new ListRevocationsRequest(), deadline: AdminConnection.CallDeadline());
            RevocationPrinter.Print(response.Revocations, result.GetValue(output)!);
            if (result.GetValue(output) != "json")
            {
                Console.WriteLine($"Found {response.Revocations.Count} {(response.Revocations.Count == 1 ? "revocation" : "revocations")}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
