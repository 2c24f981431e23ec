using System.CommandLine;

namespace Tessera.Cli.Agents;

/// <summary>
/// <c>tessera agent …</c>: running an agent and talking to its Workload API (<c>run</c>, <c>api</c>,
/// <c>healthcheck</c>), and managing attested agents on the server (<c>list</c>, <c>show</c>, <c>ban</c>,
/// <c>evict</c>, over the admin socket).
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var command = new Command("agent", "Run a Tessera agent, use its Workload API, and manage attested agents on the server.");

        // Each sub-verb lives in its own file and adds itself on its own line here.
        command.Subcommands.Add(AgentListCommand.Create());
        command.Subcommands.Add(AgentShowCommand.Create());
        command.Subcommands.Add(AgentBanCommand.Create());
        command.Subcommands.Add(AgentEvictCommand.Create());
        command.Subcommands.Add(AgentRunCommand.Create());
        command.Subcommands.Add(AgentHealthcheckCommand.Create());
        command.Subcommands.Add(AgentApiCommand.Create());
        return command;
    }
}
