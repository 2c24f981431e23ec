namespace Tessera.Cli.Internal;

/// <summary>The process exit codes of every <c>tessera</c> verb (documented in the README).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked (for verify verbs: the credential is valid).</summary>
    public const int Ok = 0;

    /// <summary>A verification ran and rejected the credential.</summary>
    public const int Rejected = 1;

    /// <summary>The input was unusable: a missing or malformed file, a bad argument.</summary>
    public const int BadInput = 2;

    /// <summary>The server could not be reached or refused the caller (admin socket missing, uid not allowed, server error).</summary>
    public const int Unavailable = 3;
}
