using System.Collections.Concurrent;
using Tessera.Server.KeyManagers.Internal;

namespace Tessera.Server.KeyManagers.Memory;

/// <summary>
/// Keeps keys in process memory (as PKCS#8 bytes, so every caller gets its own handle). Keys are lost when
/// the process exits: after a restart the CA rotates to fresh keys. For tests and throw-away servers.
/// </summary>
internal sealed class MemoryKeyManager : IKeyManager
{
    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task<ManagedKey> GenerateKeyAsync(string id, KeyType type, CancellationToken cancellationToken)
    {
        KeyIds.Validate(id);
        cancellationToken.ThrowIfCancellationRequested();
        var key = KeyMaterial.Create(type);
        _keys[id] = key.ExportPkcs8PrivateKey();
        return Task.FromResult(new ManagedKey(id, type, key));
    }

    /// <inheritdoc/>
    public Task<ManagedKey?> GetKeyAsync(string id, CancellationToken cancellationToken)
    {
        KeyIds.Validate(id);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_keys.TryGetValue(id, out var pkcs8) ? KeyMaterial.Import(id, pkcs8) : null);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListKeyIdsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<string> ids = [.. _keys.Keys.Order(StringComparer.Ordinal)];
        return Task.FromResult(ids);
    }

    /// <inheritdoc/>
    public Task<bool> DeleteKeyAsync(string id, CancellationToken cancellationToken)
    {
        KeyIds.Validate(id);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_keys.TryRemove(id, out _));
    }
}
