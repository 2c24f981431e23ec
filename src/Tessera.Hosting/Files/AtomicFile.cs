namespace Tessera.Hosting.Files;

/// <summary>
/// Writes secret files atomically: a temp file in the same directory, created with mode 0600 from its first
/// byte (no window where another user could open it), flushed to disk, then renamed over the target. A crash
/// leaves either the old file or the new one, never a torn one. Also used by the CA's file journal.
/// </summary>
internal static class AtomicFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (and its parents) with mode 0700, or tightens an existing one to 0700.</summary>
    public static void EnsurePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerAll);
        File.SetUnixFileMode(path, OwnerAll);
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="contents"/> atomically, mode 0600.</summary>
    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> contents, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }

        try
        {
            await using (var stream = new FileStream(temp, options))
            {
                await stream.WriteAsync(contents, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true); // fsync before the rename, or a crash could publish an empty file
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        // The rename itself is made durable by the directory's next fsync; .NET offers no directory fsync, and
        // losing the rename on power loss leaves the previous complete file, which callers tolerate.
    }
}
