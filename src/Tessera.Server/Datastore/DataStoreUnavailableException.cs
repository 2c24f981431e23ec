namespace Tessera.Server.Datastore;

/// <summary>The datastore cannot be reached or is busy; the operation may be retried later.</summary>
internal sealed class DataStoreUnavailableException : Exception
{
    public DataStoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
