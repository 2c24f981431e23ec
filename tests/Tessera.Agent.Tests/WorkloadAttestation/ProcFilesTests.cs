using Tessera.Agent.WorkloadAttestation.Unix;

namespace Tessera.Agent.Tests.WorkloadAttestation;

public sealed class ProcFilesTests
{
    [Fact]
    public void ProcStartTime_CommandNameWithSpacesAndParens_ReadsField22()
    {
        var stat = "4242 (evil) 1 2 3) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 100 18446744073709551615";

        Assert.Equal(987654UL, ProcStartTime.Parse(stat));
    }

    [Fact]
    public void ProcStartTime_OwnProcess_Stable()
    {
        var first = ProcStartTime.Read("/proc", Environment.ProcessId);

        Assert.NotNull(first);
        Assert.Equal(first, ProcStartTime.Read("/proc", Environment.ProcessId));
    }

    [Fact]
    public void ProcStatus_UidAndGroups()
    {
        var status = ProcStatus.Parse("Name:\tx\nUid:\t1001\t1001\t1001\t1001\nGid:\t50\t50\t50\t50\nGroups:\t4 24 27 \n");

        Assert.Equal(1001, status!.RealUid);
        Assert.Equal([4, 24, 27], status.Groups);
    }

    [Fact]
    public void ExecutableHashCache_FileRewritten_NewHash()
    {
        using var dir = new TempDirectory();
        var path = dir.File("tool");
        File.WriteAllText(path, "one");
        var cache = new ExecutableHashCache();
        var first = cache.GetSha256(path);

        File.WriteAllText(path, "two");

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("two"u8)), cache.GetSha256(path));
        Assert.NotEqual(first, cache.GetSha256(path));
    }
}
