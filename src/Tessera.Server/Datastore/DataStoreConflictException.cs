namespace Tessera.Server.Datastore;

/// <summary>A write that conflicts with stored data; nothing was written.</summary>
internal sealed class DataStoreConflictException : Exception
{
    public DataStoreConflictException(DataStoreConflict conflict, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Conflict = conflict;
    }

    public DataStoreConflict Conflict { get; }
}
