namespace Tessera.Agent.Configuration;

/// <summary>The configuration is invalid; <see cref="Problems"/> lists every problem found, each naming its setting.</summary>
internal sealed class AgentConfigurationException(IReadOnlyList<string> problems)
    : Exception("invalid agent configuration:\n  - " + string.Join("\n  - ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
