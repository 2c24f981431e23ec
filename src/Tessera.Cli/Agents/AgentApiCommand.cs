using System.CommandLine;

namespace Tessera.Cli.Agents;

/// <summary><c>tessera agent api fetch x509|jwt</c>, <c>validate jwt</c>, <c>watch</c>: the local agent's SPIFFE Workload API.</summary>
internal static class AgentApiCommand
{
    public static Command Create() => new("api", "Use the local agent's SPIFFE Workload API as this process: fetch, validate and watch identities.")
    {
        new Command("fetch", "Fetch this process's identities.")
        {
            AgentApiFetchX509Command.Create(),
            AgentApiFetchJwtCommand.Create(),
        },
        new Command("validate", "Validate credentials through the agent.")
        {
            AgentApiValidateJwtCommand.Create(),
        },
        AgentApiWatchCommand.Create(),
    };
}
