using Tessera.Contracts.Transport;
namespace Tessera.Server.AdminApi;

/// <summary>Connection feature carrying the kernel-reported credentials of an admin socket caller.</summary>
internal interface IPeerCredentialsFeature
{
    PeerCredentials Credentials { get; }
}
