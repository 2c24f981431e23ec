namespace Tessera.Server.Tests.NodeApi;

/// <summary>
/// Tests that load every core (10,000 signatures) run alone, so they do not starve the latency checks of other
/// classes running in parallel (Sync pushes must arrive within a second).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyTests
{
    public const string Name = "heavy (runs alone)";
}
