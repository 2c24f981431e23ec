using Tessera.Contracts.Transport;
namespace Tessera.Server.AdminApi;

/// <inheritdoc/>
internal sealed class PeerCredentialsFeature(PeerCredentials credentials) : IPeerCredentialsFeature
{
    public PeerCredentials Credentials { get; } = credentials;
}
