using System.CommandLine;
using Google.Protobuf;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Entries;

/// <summary><c>tessera entry create</c>: one entry from flags, or a batch from a JSON file (all-or-nothing).</summary>
internal static class EntryCreateCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var data = new Option<FileInfo>("--data") { Description = "JSON file {\"entries\": [...]} for a batch create (fields as in `entry show --output json`)" };
        var entry = new EntryOptions();
        var command = new Command("create", "Create a registration entry (or a batch with --data); exit 2 with every problem if any entry is invalid.") { socket, output, data };
        entry.AddTo(command);
        command.SetAction((result, _) =>
        {
            var request = new CreateEntriesRequest();
            if (result.GetValue(data) is { } file)
            {
                try
                {
                    request = JsonParser.Default.Parse<CreateEntriesRequest>(File.ReadAllText(file.FullName));
                }
                catch (Exception ex) when (ex is InvalidProtocolBufferException or IOException or InvalidJsonException)
                {
                    Console.Error.WriteLine($"--data: {file.Name}: {ex.Message}");
                    return Task.FromResult(ExitCodes.BadInput);
                }
            }
            else
            {
                var single = new Entry();
                var problems = entry.Apply(result, single);
                if (problems.Count > 0)
                {
                    problems.ForEach(Console.Error.WriteLine);
                    return Task.FromResult(ExitCodes.BadInput);
                }

                request.Entries.Add(single);
            }

            return AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
            {
                var response = await client.CreateEntriesAsync(request, deadline: AdminConnection.CallDeadline());
                EntryPrinter.Print(response.Entries, result.GetValue(output)!);
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
