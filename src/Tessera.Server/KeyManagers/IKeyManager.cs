namespace Tessera.Server.KeyManagers;

/// <summary>
/// The key manager seam (as in SPIRE): generates and stores the server's private signing keys by ID.
/// Implementations live in one sub-folder each (<c>Memory</c>, <c>Disk</c>) and are thread-safe.
/// Every key handed out is a fresh instance the caller owns.
/// </summary>
internal interface IKeyManager
{
    /// <summary>
    /// Generates a new key of <paramref name="type"/> under <paramref name="id"/>, replacing any key with that ID
    /// (SPIRE's semantics: the caller owns the naming), and returns it.
    /// </summary>
    /// <exception cref="ArgumentException">The ID is not a valid key ID (see <see cref="Internal.KeyIds"/>).</exception>
    Task<ManagedKey> GenerateKeyAsync(string id, KeyType type, CancellationToken cancellationToken);

    /// <summary>Returns the key with ID <paramref name="id"/>, or null when there is none.</summary>
    Task<ManagedKey?> GetKeyAsync(string id, CancellationToken cancellationToken);

    /// <summary>Returns the IDs of every stored key, sorted ordinally.</summary>
    Task<IReadOnlyList<string>> ListKeyIdsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the key with ID <paramref name="id"/>; returns false when there was none.</summary>
    Task<bool> DeleteKeyAsync(string id, CancellationToken cancellationToken);
}
