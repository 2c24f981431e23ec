using System.Text;
using Tessera.Hosting.Files;

namespace Tessera.Server.Tests.Files;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WriteAsync_NewFile_ContentsMode0600AndNoTempLeft()
    {
        var path = _dir.File("key.pem");

        await AtomicFile.WriteAsync(path, Encoding.ASCII.GetBytes("secret"), CancellationToken.None);

        Assert.Equal("secret", File.ReadAllText(path));
        Assert.Equal(AtomicFile.PrivateMode, File.GetUnixFileMode(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Theory]
    [InlineData(AtomicFile.PrivateMode)]
    [InlineData(AtomicFile.PublicMode)]
    public void Write_NewFile_Utf8ContentsGivenModeAndNoTempLeft(UnixFileMode mode)
    {
        var path = _dir.File("out.pem");

        AtomicFile.Write(path, "é\n", mode);

        Assert.Equal(Encoding.UTF8.GetBytes("é\n"), File.ReadAllBytes(path));
        Assert.Equal(mode, File.GetUnixFileMode(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Write_ExistingFile_ReplacedWithNewMode()
    {
        var path = _dir.File("token.jwt");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, AtomicFile.PublicMode);

        AtomicFile.Write(path, "new", AtomicFile.PrivateMode);

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(AtomicFile.PrivateMode, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Replace_ExistingFile_KeepsItsMode()
    {
        var path = _dir.File("policy.cedar");
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, mode);

        AtomicFile.Replace(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(mode, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Write_MissingDirectory_ThrowsAndLeavesNothing()
    {
        var path = Path.Combine(_dir.Path, "missing", "out.pem");

        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Write(path, "x", AtomicFile.PublicMode));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void EnsurePrivateDirectory_ExistingOpenDirectory_TightenedTo0700()
    {
        var path = Path.Combine(_dir.Path, "data");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        AtomicFile.EnsurePrivateDirectory(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
    }
}
