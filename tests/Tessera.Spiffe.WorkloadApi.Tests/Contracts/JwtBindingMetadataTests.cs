using Tessera.Contracts.Workload;

namespace Tessera.Spiffe.WorkloadApi.Tests.Contracts;

/// <summary>
/// The binding metadata is wire format shared by the agent, this SDK and other-language clients: pin the strings so a
/// rename of the constants cannot silently change what goes over the socket.
/// </summary>
public sealed class JwtBindingMetadataTests
{
    [Fact]
    public void Header_WireName() => Assert.Equal("tessera-jwt-binding", JwtBindingMetadata.Header);

    [Fact]
    public void X5tS256_Rfc8705ConfirmationMember() => Assert.Equal("x5t#S256", JwtBindingMetadata.X5tS256);
}
