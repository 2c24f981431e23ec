using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Agents;

/// <summary><c>tessera agent evict --spiffe-id ID</c>: deletes the agent's record; its SVID stops working and it must attest again.</summary>
internal static class AgentEvictCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var id = AgentIdOption.Create("the agent to evict");
        var command = new Command("evict", "Evict an attested agent: it must attest again (a banned agent's ban is lifted this way).") { socket, id };
        command.SetAction((result, _) => AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
        {
            await client.EvictAgentAsync(new EvictAgentRequest { SpiffeId = result.GetValue(id)! }, deadline: AdminConnection.CallDeadline());
            Console.WriteLine($"evicted agent {result.GetValue(id)}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
