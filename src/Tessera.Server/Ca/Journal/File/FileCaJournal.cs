using Tessera.Hosting.Files;

namespace Tessera.Server.Ca.Journal.File;

/// <summary>Keeps the journal in one file, replaced atomically (mode 0600) on every save.</summary>
internal sealed class FileCaJournal : ICaJournal
{
    private readonly string _path;

    /// <summary>Uses <paramref name="path"/>; its directory is created (mode 0700) when absent.</summary>
    public FileCaJournal(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
        AtomicFile.EnsurePrivateDirectory(Path.GetDirectoryName(_path)!);
    }

    /// <inheritdoc/>
    public async Task<byte[]?> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await System.IO.File.ReadAllBytesAsync(_path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public Task SaveAsync(ReadOnlyMemory<byte> blob, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(_path, blob, cancellationToken);
}
