namespace Tessera.Hosting.Files;

/// <summary>
/// An exclusive lock on <c>&lt;data_dir&gt;/&lt;program&gt;.lock</c>, held for the life of a server or agent process and
/// released by the kernel when it exits, crash included. Taken before keys, journals or the datastore are touched,
/// so a second process started on the same data directory (a systemd restart overlapping, a mistyped unit) changes
/// nothing and says why.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <summary>Creates the data directory (0700) if needed and takes its lock for <paramref name="program"/> (<c>server</c> or <c>agent</c>).</summary>
    /// <exception cref="DataDirectoryInUseException">Another process holds the lock; the message names the directory and <paramref name="flag"/>.</exception>
    public static DataDirectoryLock Acquire(string dataDir, string program, string flag = "--data-dir")
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        ArgumentException.ThrowIfNullOrEmpty(program);
        AtomicFile.EnsurePrivateDirectory(dataDir);
        var path = Path.Combine(dataDir, program + ".lock");
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = AtomicFile.PrivateMode;
        }

        try
        {
            // FileShare.None is an exclusive flock(2) on Unix: held until this process closes the file or exits.
            var file = new FileStream(path, options);
            file.SetLength(0);
            file.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            file.Flush();
            return new DataDirectoryLock(file);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new DataDirectoryInUseException($"data_dir: another Tessera {program} is running with {dataDir} (it holds {path}, which names its pid); stop it or choose another {flag}", ex);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();
}
