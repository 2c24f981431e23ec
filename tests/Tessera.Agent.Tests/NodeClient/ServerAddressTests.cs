using Tessera.Agent.NodeClient;

namespace Tessera.Agent.Tests.NodeClient;

public sealed class ServerAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8081", "https://127.0.0.1:8081/")]
    [InlineData("tessera-server.internal:443", "https://tessera-server.internal/")]
    [InlineData("[::1]:8081", "https://[::1]:8081/")]
    public void TryParse_HostAndPort_HttpsUri(string text, string expected)
    {
        Assert.True(ServerAddress.TryParse(text, out var uri));
        Assert.Equal(expected, uri.ToString());
    }

    [Theory]
    [InlineData("no-port")]
    [InlineData("host:")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("::1:8081")]
    [InlineData(":8081")]
    [InlineData("bad host:8081")]
    public void TryParse_Malformed_Refused(string text)
    {
        Assert.False(ServerAddress.TryParse(text, out _));
    }
}
