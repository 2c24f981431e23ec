using Tessera.Server.KeyManagers;
using Tessera.Server.KeyManagers.Disk;

namespace Tessera.Server.Tests.KeyManagers;

/// <summary>What only the disk key manager promises: file modes, atomic writes, persistence, corruption reports.</summary>
public sealed class DiskKeyManagerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task GenerateKey_Unix_FileIs0600AndDirectory0700()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only
        }

        var directory = _temp.File("keys");
        var manager = new DiskKeyManager(directory);
        (await manager.GenerateKeyAsync("k", KeyType.EcP256, CancellationToken.None)).Dispose();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "k.p8")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        Assert.Equal(["k.p8"], Directory.GetFiles(directory).Select(Path.GetFileName)); // no temp file left behind
    }

    [Fact]
    public async Task GetKey_NewInstanceSameDirectory_ReturnsPersistedKey()
    {
        var directory = _temp.File("keys");
        using var generated = await new DiskKeyManager(directory).GenerateKeyAsync("k", KeyType.EcP256, CancellationToken.None);
        using var loaded = await new DiskKeyManager(directory).GetKeyAsync("k", CancellationToken.None);
        Assert.Equal(generated.Key.ExportSubjectPublicKeyInfo(), loaded!.Key.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task GetKey_CorruptFile_ThrowsNamingTheFile()
    {
        var directory = _temp.File("keys");
        var manager = new DiskKeyManager(directory);
        var path = Path.Combine(directory, "k.p8");
        await File.WriteAllBytesAsync(path, [0x30, 0x03, 0x02, 0x01, 0x00], CancellationToken.None);
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => manager.GetKeyAsync("k", CancellationToken.None));
        Assert.StartsWith($"key file '{path}' is corrupt: it is not a PKCS#8 EC P-256/P-384 or RSA-2048 private key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ExistingLooseDirectory_TightensTo0700()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only
        }

        var directory = _temp.File("loose");
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        _ = new DiskKeyManager(directory);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
    }

    public void Dispose() => _temp.Dispose();
}
