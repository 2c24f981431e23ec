using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Cli.Revocations;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Entries;

/// <summary><c>tessera entry delete --entry-id ID [--revoke --reason R]</c>.</summary>
internal static class EntryDeleteCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var id = new Option<string>("--entry-id") { Description = "the entry to delete", Required = true };
        var revoke = new Option<bool>("--revoke")
        {
            Description = "also revoke what was issued for the entry's SPIFFE ID (current X509-SVIDs, JWT-SVIDs issued so far), in the same transaction; needs --reason",
        };
        var reason = ReasonOption.ForRevocation();
        var command = new Command("delete", "Delete a registration entry (with --revoke, and revoke what was issued for it).") { socket, id, revoke, reason.Option };
        command.SetAction(async (result, _) =>
        {
            var revoking = result.GetValue(revoke);
            var why = result.GetValue(reason.Option);
            if (revoking && reason.Get(result, Console.Error) is null)
            {
                return ExitCodes.BadInput;
            }

            if (!revoking && why is not null)
            {
                Console.Error.WriteLine("--reason is only taken with --revoke (a plain delete revokes nothing)");
                return ExitCodes.BadInput;
            }

            return await AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
            {
                var response = await client.DeleteEntryAsync(new DeleteEntryRequest { Id = result.GetValue(id)!, Revoke = revoking, Reason = why ?? string.Empty }, deadline: AdminConnection.CallDeadline());
                Console.WriteLine($"deleted entry {result.GetValue(id)}");
                RevocationPrinter.Print(response.Revocations, "text");
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
