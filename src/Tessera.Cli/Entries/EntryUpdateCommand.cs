using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Entries;

/// <summary><c>tessera entry update --entry-id ID [fields…]</c>: changes only the fields given (optimistic revision check).</summary>
internal static class EntryUpdateCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var id = new Option<string>("--entry-id") { Description = "the entry to update", Required = true };
        var entry = new EntryOptions();
        var command = new Command("update", "Update fields of a registration entry; fields not given keep their value.") { socket, output, id };
        entry.AddTo(command);
        command.SetAction((result, _) => AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
        {
            var current = await client.GetEntryAsync(new GetEntryRequest { Id = result.GetValue(id)! }, deadline: AdminConnection.CallDeadline());
            var problems = entry.Apply(result, current);
            if (problems.Count > 0)
            {
                problems.ForEach(Console.Error.WriteLine);
                return ExitCodes.BadInput;
            }

            var updated = await client.UpdateEntryAsync(new UpdateEntryRequest { Entry = current }, deadline: AdminConnection.CallDeadline());
            EntryPrinter.Print([updated], result.GetValue(output)!);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
