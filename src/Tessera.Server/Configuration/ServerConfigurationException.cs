namespace Tessera.Server.Configuration;

/// <summary>The configuration is invalid; <see cref="Problems"/> lists every problem found, each naming its setting.</summary>
internal sealed class ServerConfigurationException(IReadOnlyList<string> problems)
    : Exception("invalid server configuration:\n  - " + string.Join("\n  - ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
