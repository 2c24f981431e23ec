using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Agents;

/// <summary>
/// <c>tessera agent evict --spiffe-id ID [--reason R]</c>: deletes the agent's record and revokes every current SVID
/// issued through it (and its own); it must attest again.
/// </summary>
internal static class AgentEvictCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var id = AgentIdOption.Create("the agent to evict");
        var reason = new Option<string>("--reason") { Description = "why (kept on the revocations of the agent's SVIDs and in the audit log)" };
        var command = new Command("evict", "Evict an attested agent: it must attest again (a banned agent's ban is lifted this way); every current SVID issued through it is revoked.") { socket, id, reason };
        command.SetAction((result, _) => AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
        {
            var response = await client.EvictAgentAsync(new EvictAgentRequest { SpiffeId = result.GetValue(id)!, Reason = result.GetValue(reason) ?? string.Empty }, deadline: AdminConnection.CallDeadline());
            Console.WriteLine(response.RevokedSvids == 0
                ? $"evicted agent {result.GetValue(id)}"
                : $"evicted agent {result.GetValue(id)}; revoked {response.RevokedSvids} X509-SVIDs issued through it");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
