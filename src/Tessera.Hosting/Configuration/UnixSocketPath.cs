using System.Text;

namespace Tessera.Hosting.Configuration;

/// <summary>Checks a configured Unix socket path against the kernel's limit before anything tries to bind it.</summary>
internal static class UnixSocketPath
{
    /// <summary>sockaddr_un.sun_path is 108 bytes including the terminating NUL.</summary>
    public const int MaxBytes = 107;

    /// <summary>Adds a problem naming <paramref name="setting"/> when <paramref name="path"/> is longer than <see cref="MaxBytes"/> in UTF-8.</summary>
    public static void CheckLength(string setting, string path, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var bytes = Encoding.UTF8.GetByteCount(path);
        if (bytes > MaxBytes)
        {
            problems.Add($"{setting}: '{path}' is {bytes} bytes; a Unix socket path may have at most {MaxBytes}");
        }
    }
}
