using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Agents;

/// <summary>
/// <c>tessera agent ban --spiffe-id ID</c>: the agent is refused from now on (its open streams end, it cannot
/// renew or attest again with that ID) and every current SVID issued through it is revoked. The record stays, flagged, until <c>tessera agent evict</c>.
/// </summary>
internal static class AgentBanCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var id = AgentIdOption.Create("the agent to ban");
        var reason = new Option<string>("--reason") { Description = "why (kept on the revocations of the agent's SVIDs and in the audit log)" };
        var command = new Command("ban", "Ban an attested agent: it is refused until evicted, and every current SVID issued through it is revoked.") { socket, output, id, reason };
        command.SetAction((result, _) => AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
        {
            var agent = await client.BanAgentAsync(new BanAgentRequest { SpiffeId = result.GetValue(id)!, Reason = result.GetValue(reason) ?? string.Empty }, deadline: AdminConnection.CallDeadline());
            if (result.GetValue(output) == "json")
            {
                AgentPrinter.Print([agent], "json");
            }
            else
            {
                Console.WriteLine(agent.RevokedSvids == 0
                    ? $"banned agent {agent.SpiffeId}"
                    : $"banned agent {agent.SpiffeId}; revoked {agent.RevokedSvids} X509-SVIDs issued through it");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
