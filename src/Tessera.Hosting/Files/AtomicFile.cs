using System.Text;

namespace Tessera.Hosting.Files;

/// <summary>
/// Writes files atomically: a temp file in the same directory, created with its final mode from its first byte
/// (no window where another user could open a secret), flushed to disk, then renamed over the target. A crash
/// leaves either the old file or the new one, never a torn one. Used by the server (also the CA's file journal),
/// the agent and the CLI.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Mode 0600, for keys, tokens and other secrets.</summary>
    public const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Mode 0644, for certificates and bundles anyone on the machine may read.</summary>
    public const UnixFileMode PublicMode = PrivateMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode OwnerAll = PrivateMode | UnixFileMode.UserExecute;

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
        var temp = TempPathFor(path);
        try
        {
            await using (var stream = new FileStream(temp, TempOptions(PrivateMode)))
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

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="contents"/> in UTF-8 atomically, with
    /// <paramref name="mode"/> (<see cref="PrivateMode"/> or <see cref="PublicMode"/>). For callers with no
    /// async context (the CLI's one-shot verbs); the same steps as <see cref="WriteAsync"/>.
    /// </summary>
    public static void Write(string path, string contents, UnixFileMode mode)
    {
        var temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, TempOptions(mode)))
            {
                stream.Write(Encoding.UTF8.GetBytes(contents));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Replaces an existing file's contents (UTF-8) atomically, keeping its permissions.</summary>
    public static void Replace(string path, string contents) =>
        Write(path, contents, OperatingSystem.IsWindows() ? PublicMode : File.GetUnixFileMode(path));

    private static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");

    private static FileStreamOptions TempOptions(UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        return options;
    }
}
