namespace Tessera.Server.Ca.Rotation;

/// <summary>An operator's CA key operation was refused (unknown key, the active key, already tainted); the message says why.</summary>
internal sealed class CaKeyOperationException : Exception
{
    public CaKeyOperationException()
    {
    }

    public CaKeyOperationException(string message)
        : base(message)
    {
    }

    public CaKeyOperationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
