namespace Tessera.Spiffe.WorkloadApi.Tests;

public sealed class WorkloadApiAddressTests
{
    [Theory]
    [InlineData("unix:///run/tessera/api.sock", "/run/tessera/api.sock")]
    [InlineData("unix:/run/tessera/api.sock", "/run/tessera/api.sock")]
    [InlineData("/run/tessera/api.sock", "/run/tessera/api.sock")]
    public void TryParse_UnixAddresses_SocketPath(string value, string expected)
    {
        Assert.True(WorkloadApiAddress.TryParse(value, out var path, out var error), error);
        Assert.Equal(expected, path);
    }

    [Theory]
    [InlineData("", "the Workload API address is empty; expected unix:///absolute/path/to/api.sock")]
    [InlineData("tcp://127.0.0.1:8081", "'tcp:' addresses are not supported; the Workload API listens on a Unix socket: unix:///absolute/path")]
    [InlineData("run/api.sock", "'run/api.sock' is a relative path; give an absolute one, e.g. unix:///run/tessera/api.sock")]
    [InlineData("unix://host/run/api.sock", "'unix://host/run/api.sock' names a host; a Unix socket address has none: use unix:///absolute/path")]
    [InlineData("unix:run/api.sock", "'unix:run/api.sock' is not an absolute socket path (no query, fragment or NUL allowed): use unix:///absolute/path")]
    [InlineData("unix:///run/api.sock?x=1", "'unix:///run/api.sock?x=1' is not an absolute socket path (no query, fragment or NUL allowed): use unix:///absolute/path")]
    public void TryParse_Other_ClearError(string value, string expected)
    {
        Assert.False(WorkloadApiAddress.TryParse(value, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Resolve_Explicit_SocketPath() =>
        Assert.Equal("/run/tessera/api.sock", WorkloadApiAddress.Resolve("unix:///run/tessera/api.sock"));

    [Fact]
    public void Resolve_BadExplicit_ArgumentExceptionNamingTheRule()
    {
        var ex = Assert.Throws<ArgumentException>(() => WorkloadApiAddress.Resolve("tcp://127.0.0.1:8081"));

        Assert.Equal("address", ex.ParamName);
        Assert.Equal("'tcp:' addresses are not supported; the Workload API listens on a Unix socket: unix:///absolute/path (Parameter 'address')", ex.Message);
    }

    [Fact]
    public void Client_RelativeAddress_ArgumentExceptionNamingTheRule()
    {
        var ex = Assert.Throws<ArgumentException>(() => new WorkloadApiClient("run/api.sock"));

        Assert.Equal("'run/api.sock' is a relative path; give an absolute one, e.g. unix:///run/tessera/api.sock (Parameter 'address')", ex.Message);
    }
}

