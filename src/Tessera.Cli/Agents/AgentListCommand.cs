using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Agents;

/// <summary><c>tessera agent list</c>: every attested agent (banned ones included), over the admin socket.</summary>
internal static class AgentListCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var command = new Command("list", "List attested agents.") { socket, output };
        command.SetAction((result, _) => AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
        {
            var response = await client.ListAgentsAsync(new ListAgentsRequest(), deadline: AdminConnection.CallDeadline());
            AgentPrinter.Print(response.Agents, result.GetValue(output)!);
            if (result.GetValue(output) != "json")
            {
                Console.WriteLine($"Found {response.Agents.Count} attested {(response.Agents.Count == 1 ? "agent" : "agents")}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
