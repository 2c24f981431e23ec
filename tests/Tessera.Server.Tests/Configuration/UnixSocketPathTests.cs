using Tessera.Hosting.Configuration;

namespace Tessera.Server.Tests.Configuration;

public sealed class UnixSocketPathTests
{
    [Fact]
    public void CheckLength_AtLimit_NoProblem()
    {
        var problems = new List<string>();

        UnixSocketPath.CheckLength("socket_path", "/" + new string('a', UnixSocketPath.MaxBytes - 1), problems);

        Assert.Empty(problems);
    }

    [Fact]
    public void CheckLength_OverLimit_ProblemNamesSettingAndBytes()
    {
        var path = "/" + new string('a', UnixSocketPath.MaxBytes);
        var problems = new List<string>();

        UnixSocketPath.CheckLength("admin_socket", path, problems);

        Assert.Equal([$"admin_socket: '{path}' is 108 bytes; a Unix socket path may have at most 107"], problems);
    }

    [Fact]
    public void CheckLength_MultiByteCharacters_CountedInUtf8Bytes()
    {
        // 54 two-byte characters plus the slash: 55 characters, 109 bytes.
        var path = "/" + new string('é', 54);
        var problems = new List<string>();

        UnixSocketPath.CheckLength("socket_path", path, problems);

        Assert.Equal([$"socket_path: '{path}' is 109 bytes; a Unix socket path may have at most 107"], problems);
    }
}
