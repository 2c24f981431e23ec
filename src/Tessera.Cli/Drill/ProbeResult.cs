namespace Tessera.Cli.Drill;

/// <summary>What one enforcement point did with the canary credential: accepted it, or refused it and why.</summary>
internal readonly record struct ProbeResult(bool Accepted, string Detail)
{
    public static ProbeResult Accept(string detail = "accepted") => new(true, detail);

    public static ProbeResult Refuse(string detail) => new(false, detail);
}
