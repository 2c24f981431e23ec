namespace Tessera.Cli.Drill;

/// <summary>One line of the drill's table: one revocation kind at one enforcement point, over every round.</summary>
internal sealed record DrillRow(string Kind, string Point, int Rounds, TimeSpan? P50, TimeSpan? Max, TimeSpan? P50SinceReturned, int OverBound, int StillAccepted, string Detail)
{
    /// <summary>Gets whether every round refused within the bound.</summary>
    public bool Passed => OverBound == 0;
}
