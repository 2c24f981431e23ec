using System.Security.Cryptography;
using Tessera.Hosting.Files;
using Tessera.Server.KeyManagers.Internal;

namespace Tessera.Server.KeyManagers.Disk;

/// <summary>
/// Stores each key as <c>&lt;id&gt;.p8</c> (PKCS#8 DER) in a directory of mode 0700; files are mode 0600 and
/// written atomically (see <see cref="AtomicFile"/>). Keys are not encrypted at rest: protect the directory.
/// </summary>
internal sealed class DiskKeyManager : IKeyManager
{
    private const string Extension = ".p8";
    private readonly string _directory;

    /// <summary>Uses <paramref name="directory"/>, creating it (mode 0700) when absent.</summary>
    public DiskKeyManager(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = Path.GetFullPath(directory);
        AtomicFile.EnsurePrivateDirectory(_directory);
    }

    /// <inheritdoc/>
    public async Task<ManagedKey> GenerateKeyAsync(string id, KeyType type, CancellationToken cancellationToken)
    {
        KeyIds.Validate(id);
        var key = KeyMaterial.Create(type);
        try
        {
            var pkcs8 = key.ExportPkcs8PrivateKey();
            try
            {
                await AtomicFile.WriteAsync(PathOf(id), pkcs8, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }

            return new ManagedKey(id, type, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<ManagedKey?> GetKeyAsync(string id, CancellationToken cancellationToken)
    {
        KeyIds.Validate(id);
        var path = PathOf(id);
        byte[] pkcs8;
        try
        {
            pkcs8 = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        try
        {
            return KeyMaterial.Import(id, pkcs8);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidDataException($"key file '{path}' is corrupt: it is not a PKCS#8 EC P-256/P-384 or RSA-2048 private key ({ex.Message}); restore it from backup or delete it to let the CA rotate to a new key", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListKeyIdsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<string> ids =
        [
            .. Directory.EnumerateFiles(_directory, "*" + Extension)
                .Select(f => Path.GetFileName(f)[..^Extension.Length])
                .Where(IsValidId)
                .Order(StringComparer.Ordinal),
        ];
        return Task.FromResult(ids);
    }

    /// <inheritdoc/>
    public Task<bool> DeleteKeyAsync(string id, CancellationToken cancellationToken)
    {
        KeyIds.Validate(id);
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(id);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        return Task.FromResult(true);
    }

    private static bool IsValidId(string id)
    {
        try
        {
            KeyIds.Validate(id);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private string PathOf(string id) => Path.Combine(_directory, id + Extension);
}
