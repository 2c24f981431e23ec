using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Entries;

/// <summary><c>tessera entry count</c>: how many entries match the filters.</summary>
internal static class EntryCountCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var filters = new EntryFilterOptions();
        var command = new Command("count", "Count entries matching the filters.") { socket, output };
        filters.AddTo(command);
        command.SetAction((result, _) =>
        {
            if (!filters.TryBuild(result, out var filter))
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            return AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
            {
                var response = await client.CountEntriesAsync(new CountEntriesRequest { Filter = filter }, deadline: AdminConnection.CallDeadline());
                Console.WriteLine(result.GetValue(output) == "json" ? $"{{\"count\":{response.Count}}}" : $"{response.Count}");
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
