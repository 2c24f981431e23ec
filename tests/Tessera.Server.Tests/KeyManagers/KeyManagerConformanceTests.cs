using System.Security.Cryptography;
using Tessera.Server.KeyManagers;
using Tessera.Server.KeyManagers.Disk;
using Tessera.Server.KeyManagers.Memory;

namespace Tessera.Server.Tests.KeyManagers;

/// <summary>The contract of <see cref="IKeyManager"/>, run against every implementation.</summary>
public sealed class KeyManagerConformanceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public static TheoryData<string> Implementations => ["memory", "disk"];

    [Theory]
    [MemberData(nameof(Implementations))]
    public async Task GenerateKey_EachType_ReturnsKeyThatSigns(string kind)
    {
        var manager = Create(kind);
        foreach (var type in Enum.GetValues<KeyType>())
        {
            using var key = await manager.GenerateKeyAsync("k-" + type, type, CancellationToken.None);
            Assert.Equal(type, key.Type);
            var data = "hello"u8.ToArray();
            if (key.EcKey is { } ec)
            {
                Assert.Equal(type == KeyType.EcP256 ? 256 : 384, ec.KeySize);
                Assert.True(ec.VerifyData(data, ec.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
            }
            else
            {
                var rsa = key.RsaKey!;
                Assert.Equal(2048, rsa.KeySize);
                var signature = rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                Assert.True(rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public async Task GetKey_AfterGenerate_ReturnsSameKeyAsNewHandle(string kind)
    {
        var manager = Create(kind);
        using var generated = await manager.GenerateKeyAsync("ca-1", KeyType.EcP384, CancellationToken.None);
        using var loaded = await manager.GetKeyAsync("ca-1", CancellationToken.None);
        Assert.NotNull(loaded);
        Assert.Equal(KeyType.EcP384, loaded.Type);
        Assert.NotSame(generated.Key, loaded.Key);
        Assert.Equal(generated.Key.ExportSubjectPublicKeyInfo(), loaded.Key.ExportSubjectPublicKeyInfo());
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public async Task GetKey_Unknown_ReturnsNull(string kind)
    {
        Assert.Null(await Create(kind).GetKeyAsync("missing", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public async Task GenerateKey_ExistingId_ReplacesKey(string kind)
    {
        var manager = Create(kind);
        using var first = await manager.GenerateKeyAsync("k", KeyType.EcP256, CancellationToken.None);
        using var second = await manager.GenerateKeyAsync("k", KeyType.Rsa2048, CancellationToken.None);
        using var loaded = await manager.GetKeyAsync("k", CancellationToken.None);
        Assert.Equal(KeyType.Rsa2048, loaded!.Type);
        Assert.Equal(second.Key.ExportSubjectPublicKeyInfo(), loaded.Key.ExportSubjectPublicKeyInfo());
        Assert.Equal(["k"], await manager.ListKeyIdsAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public async Task ListKeyIds_SeveralKeys_SortedOrdinally(string kind)
    {
        var manager = Create(kind);
        foreach (var id in new[] { "b", "a", "C" })
        {
            (await manager.GenerateKeyAsync(id, KeyType.EcP256, CancellationToken.None)).Dispose();
        }

        Assert.Equal(["C", "a", "b"], await manager.ListKeyIdsAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public async Task DeleteKey_ExistingThenMissing_TrueThenFalse(string kind)
    {
        var manager = Create(kind);
        (await manager.GenerateKeyAsync("k", KeyType.EcP256, CancellationToken.None)).Dispose();
        Assert.True(await manager.DeleteKeyAsync("k", CancellationToken.None));
        Assert.False(await manager.DeleteKeyAsync("k", CancellationToken.None));
        Assert.Null(await manager.GetKeyAsync("k", CancellationToken.None));
        Assert.Empty(await manager.ListKeyIdsAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public async Task GenerateKey_PathLikeId_ThrowsWithRule(string kind)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Create(kind).GenerateKeyAsync("../etc", KeyType.EcP256, CancellationToken.None));
        Assert.Equal("key ID '../etc' is invalid: use 1-128 characters of A-Z, a-z, 0-9, '.', '_' or '-', not starting with '.' (Parameter 'id')", ex.Message);
    }

    public void Dispose() => _temp.Dispose();

    private IKeyManager Create(string kind) => kind switch
    {
        "memory" => new MemoryKeyManager(),
        "disk" => new DiskKeyManager(_temp.File("keys")),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
