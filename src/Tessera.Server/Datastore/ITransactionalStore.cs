namespace Tessera.Server.Datastore;

/// <summary>Runs several writes as one transaction: all commit or none does.</summary>
internal interface ITransactionalStore
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it if the work returns; if the work throws,
    /// nothing it wrote remains.
    /// </summary>
    /// <exception cref="DataStoreUnavailableException">The database cannot be reached or is busy.</exception>
    Task<T> WriteAsync<T>(Func<IDataStoreTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken);
}
