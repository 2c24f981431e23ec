using System.CommandLine;

namespace Tessera.Cli.Entries;

/// <summary><c>tessera entry create|show|update|delete|count</c>: registration entries, over the admin socket.</summary>
internal static class EntryCommand
{
    public static Command Create() => new("entry", "Manage registration entries: which workloads get which SPIFFE ID, and who owns them.")
    {
        EntryCreateCommand.Create(),
        EntryShowCommand.Create(),
        EntryUpdateCommand.Create(),
        EntryDeleteCommand.Create(),
        EntryCountCommand.Create(),
    };
}
