namespace Tessera.Cli.Drill;

/// <summary>
/// One measurement: how long after the revocation one enforcement point first refused the canary credential.
/// <see cref="SinceSent"/> counts from just before the admin call was sent (what the bound is checked against);
/// <see cref="SinceReturned"/> from the call returning. Both null when the point still accepted it when the drill
/// stopped watching.
/// </summary>
internal sealed record DrillSample(string Kind, string Point, int Round, TimeSpan? SinceSent, TimeSpan? SinceReturned, string Detail)
{
    public bool Refused => SinceSent is not null;
}
