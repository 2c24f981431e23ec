using System.Net;
using Tessera.Hosting.Configuration;

namespace Tessera.Server.Tests.Configuration;

public sealed class HealthAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8090", "127.0.0.1:8090")]
    [InlineData("localhost:0", "127.0.0.1:0")]
    [InlineData("[::1]:8090", "[::1]:8090")]
    public void TryParse_IpOrLocalhost_Endpoint(string text, string expected)
    {
        Assert.True(HealthAddress.TryParse(text, out var endpoint));
        Assert.Equal(IPEndPoint.Parse(expected), endpoint);
    }

    [Theory]
    [InlineData("8090")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("health.example:8090")] // accepted by validation once, then crashed the listener at start-up
    public void TryParse_NotBindable_False(string text)
    {
        Assert.False(HealthAddress.TryParse(text, out _));
    }
}
