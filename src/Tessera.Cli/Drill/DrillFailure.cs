namespace Tessera.Cli.Drill;

/// <summary>A precondition of the drill failed (it cannot measure anything meaningful): the message says what and how to fix it.</summary>
internal sealed class DrillFailure : Exception
{
    public DrillFailure(string message, int exitCode)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public DrillFailure()
    {
    }

    public DrillFailure(string message)
        : base(message)
    {
    }

    public DrillFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the process exit code (see <see cref="Internal.ExitCodes"/>).</summary>
    public int ExitCode { get; } = Internal.ExitCodes.Unavailable;
}
