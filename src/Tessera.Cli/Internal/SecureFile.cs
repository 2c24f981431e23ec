using System.Text;

namespace Tessera.Cli.Internal;

/// <summary>
/// Writes files atomically (temp file in the same directory, then rename) so a reader never sees a half
/// written certificate or key; secret files are created with mode 0600 from the first byte.
/// </summary>
internal static class SecureFile
{
    private const UnixFileMode SecretMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PublicMode = SecretMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static void WriteSecret(string path, string contents) => Write(path, contents, SecretMode);

    public static void WritePublic(string path, string contents) => Write(path, contents, PublicMode);

    /// <summary>Replaces an existing file's contents atomically, keeping its permissions.</summary>
    public static void Replace(string path, string contents) =>
        Write(path, contents, OperatingSystem.IsWindows() ? PublicMode : File.GetUnixFileMode(path));

    private static void Write(string path, string contents, UnixFileMode mode)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(contents));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
