using System.CommandLine;

namespace Tessera.Cli.Agents;

/// <summary>The required <c>--spiffe-id</c> option naming an agent.</summary>
internal static class AgentIdOption
{
    public static Option<string> Create(string description) => new("--spiffe-id") { Description = description, Required = true };
}
