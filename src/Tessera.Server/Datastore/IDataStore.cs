namespace Tessera.Server.Datastore;

/// <summary>
/// The server's datastore seam: every piece of persistent state, one small interface per feature.
/// Implementations throw <see cref="DataStoreUnavailableException"/> when the database cannot be
/// reached, never a provider exception.
/// </summary>
internal interface IDataStore :
    IEntryStore, IJoinTokenStore, IAgentStore, IBundleStore, IKeyJournalStore, ISvidRecordStore, IRevocationStore, IAuditStore,
    ITransactionalStore, IAsyncDisposable
{
}
