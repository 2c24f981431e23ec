using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Entries;

/// <summary><c>tessera entry delete --entry-id ID</c>.</summary>
internal static class EntryDeleteCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var id = new Option<string>("--entry-id") { Description = "the entry to delete", Required = true };
        var command = new Command("delete", "Delete a registration entry.") { socket, id };
        command.SetAction((result, _) => AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
        {
            await client.DeleteEntryAsync(new DeleteEntryRequest { Id = result.GetValue(id)! }, deadline: AdminConnection.CallDeadline());
            Console.WriteLine($"deleted entry {result.GetValue(id)}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
