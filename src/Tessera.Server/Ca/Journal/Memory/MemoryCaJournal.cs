namespace Tessera.Server.Ca.Journal.Memory;

/// <summary>Keeps the journal in memory: rotation state survives a CA restart within the process only.</summary>
internal sealed class MemoryCaJournal : ICaJournal
{
    private volatile byte[]? _blob;

    /// <inheritdoc/>
    public Task<byte[]?> LoadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_blob?.ToArray());
    }

    /// <inheritdoc/>
    public Task SaveAsync(ReadOnlyMemory<byte> blob, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _blob = blob.ToArray();
        return Task.CompletedTask;
    }
}
