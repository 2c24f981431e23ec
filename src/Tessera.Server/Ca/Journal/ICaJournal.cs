namespace Tessera.Server.Ca.Journal;

/// <summary>
/// Where the CA keeps its rotation state between runs: one opaque, versioned blob (see
/// <see cref="CaStateCodec"/>). The keys themselves live in the key manager. Implementations: <c>Memory</c>,
/// <c>File</c>; a datastore-backed one plugs in here later.
/// </summary>
internal interface ICaJournal
{
    /// <summary>Returns the last saved blob, or null when nothing was ever saved.</summary>
    Task<byte[]?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the saved blob with <paramref name="blob"/>, durably and atomically.</summary>
    Task SaveAsync(ReadOnlyMemory<byte> blob, CancellationToken cancellationToken);
}
