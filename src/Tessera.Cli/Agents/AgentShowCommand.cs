using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Agents;

/// <summary><c>tessera agent show --spiffe-id ID</c>: one attested agent.</summary>
internal static class AgentShowCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var id = AgentIdOption.Create("the agent to show");
        var command = new Command("show", "Show an attested agent.") { socket, output, id };
        command.SetAction((result, _) => AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
        {
            var agent = await client.GetAgentAsync(new GetAgentRequest { SpiffeId = result.GetValue(id)! }, deadline: AdminConnection.CallDeadline());
            AgentPrinter.Print([agent], result.GetValue(output)!);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
