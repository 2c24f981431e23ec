namespace Tessera.Spiffe.WorkloadApi.Tests;

/// <summary>The only tests that touch SPIFFE_ENDPOINT_SOCKET; every other test passes its address explicitly, which wins.</summary>
[Collection(nameof(EnvironmentAddressTests))]
public sealed class EnvironmentAddressTests : IDisposable
{
    private readonly string? _saved = Environment.GetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable);

    public void Dispose() => Environment.SetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable, _saved);

    [Fact]
    public void Resolve_NoAddress_ReadsSpiffeEndpointSocket()
    {
        Environment.SetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable, "unix:/run/spire/agent.sock");

        Assert.Equal("/run/spire/agent.sock", WorkloadApiAddress.Resolve(null));
        using var client = new WorkloadApiClient();
        Assert.Equal("/run/spire/agent.sock", client.SocketPath);
    }

    [Fact]
    public void Resolve_BadEnvironment_ArgumentExceptionNamingTheVariable()
    {
        Environment.SetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable, "unix://host/api.sock");

        var ex = Assert.Throws<ArgumentException>(() => WorkloadApiAddress.Resolve(null));

        Assert.Equal("SPIFFE_ENDPOINT_SOCKET: 'unix://host/api.sock' names a host; a Unix socket address has none: use unix:///absolute/path (Parameter 'address')", ex.Message);
    }

    [Fact]
    public void Resolve_NothingSet_ArgumentExceptionSayingWhatToSet()
    {
        Environment.SetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable, null);

        var ex = Assert.Throws<ArgumentException>(() => new WorkloadApiClient());

        Assert.Equal("no Workload API address: pass one, or set SPIFFE_ENDPOINT_SOCKET to unix:///absolute/path/to/api.sock (Parameter 'address')", ex.Message);
    }
}
