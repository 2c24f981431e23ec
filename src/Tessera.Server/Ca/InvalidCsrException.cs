namespace Tessera.Server.Ca;

/// <summary>A certificate signing request was refused: malformed, badly signed, or with an unacceptable key.</summary>
internal sealed class InvalidCsrException : FormatException
{
    /// <summary>Creates the exception with a message safe to return to the requester.</summary>
    public InvalidCsrException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
