using Tessera.Hosting.Files;

namespace Tessera.Server.Hosting;

/// <summary>
/// An exclusive lock on <c>&lt;data_dir&gt;/server.lock</c>, held for the life of the server process and released by
/// the kernel when it exits, crash included. Taken before the datastore, keys or CA journal are touched, so a second
/// server started on the same data directory (a systemd restart overlapping, a mistyped unit) changes nothing.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    /// <summary>The lock file's name in the data directory.</summary>
    public const string FileName = "server.lock";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <summary>Creates the data directory if needed and takes its lock.</summary>
    /// <exception cref="ServerAlreadyRunningException">Another process holds the lock.</exception>
    public static DataDirectoryLock Acquire(string dataDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        AtomicFile.EnsurePrivateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
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
            var pid = System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
            file.Write(pid);
            file.Flush();
            return new DataDirectoryLock(file);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new ServerAlreadyRunningException($"data_dir: another Tessera server is running with {dataDir} (it holds {path}, which names its pid); stop it or choose another --data-dir");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();
}
