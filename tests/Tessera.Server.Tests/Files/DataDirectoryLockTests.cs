using Tessera.Hosting.Files;

namespace Tessera.Server.Tests.Files;

public sealed class DataDirectoryLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Acquire_Twice_SecondRefusedNamingDirectoryAndFlag_FreeOnceReleased()
    {
        var dataDir = _dir.File("data");
        var first = DataDirectoryLock.Acquire(dataDir, "server");

        var refused = Assert.Throws<DataDirectoryInUseException>(() => DataDirectoryLock.Acquire(dataDir, "server"));

        Assert.Equal($"data_dir: another Tessera server is running with {dataDir} (it holds {Path.Combine(dataDir, "server.lock")}, which names its pid); stop it or choose another --data-dir", refused.Message);
        first.Dispose();
        DataDirectoryLock.Acquire(dataDir, "server").Dispose();
    }

    [Fact]
    public void Acquire_NewDirectory_Private0700_LockFile0600NamesThePid()
    {
        var dataDir = _dir.File("new/data");

        using (DataDirectoryLock.Acquire(dataDir, "agent"))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDir));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, "agent.lock")));
        }

        Assert.Equal($"{Environment.ProcessId}\n", File.ReadAllText(Path.Combine(dataDir, "agent.lock")));
    }

    [Fact]
    public void Acquire_ServerAndAgentInOneDirectory_BothHeld()
    {
        var dataDir = _dir.File("shared");

        using var server = DataDirectoryLock.Acquire(dataDir, "server");
        using var agent = DataDirectoryLock.Acquire(dataDir, "agent");
    }
}
