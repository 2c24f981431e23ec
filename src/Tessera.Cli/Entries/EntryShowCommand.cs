using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Entries;

/// <summary><c>tessera entry show</c>: one entry by id, or every entry matching the filters (all pages).</summary>
internal static class EntryShowCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var id = new Option<string>("--entry-id") { Description = "show this entry only" };
        var filters = new EntryFilterOptions();
        var command = new Command("show", "Show entries; with no option, every entry.") { socket, output, id };
        filters.AddTo(command);
        command.SetAction((result, _) =>
        {
            if (!filters.TryBuild(result, out var filter))
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            return AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
            {
                if (result.GetValue(id) is { } entryId)
                {
                    EntryPrinter.Print([await client.GetEntryAsync(new GetEntryRequest { Id = entryId }, deadline: AdminConnection.CallDeadline())], result.GetValue(output)!);
                    return ExitCodes.Ok;
                }

                var entries = new List<Entry>();
                var token = string.Empty;
                do
                {
                    var page = await client.ListEntriesAsync(new ListEntriesRequest { Filter = filter, PageSize = 500, PageToken = token }, deadline: AdminConnection.CallDeadline());
                    entries.AddRange(page.Entries);
                    token = page.NextPageToken;
                }
                while (token.Length > 0);

                EntryPrinter.Print(entries, result.GetValue(output)!);
                if (result.GetValue(output) != "json")
                {
                    Console.WriteLine($"Found {entries.Count} {(entries.Count == 1 ? "entry" : "entries")}");
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
