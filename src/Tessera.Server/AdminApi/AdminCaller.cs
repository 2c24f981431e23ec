using Grpc.Core;
using Tessera.Contracts.Transport;

namespace Tessera.Server.AdminApi;

/// <summary>Finds the authenticated admin caller of a gRPC call; fails closed when the call did not come through the gate.</summary>
internal static class AdminCaller
{
    public static PeerCredentials Get(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var feature = context.GetHttpContext().Features.Get<IPeerCredentialsFeature>();
        // Only the admin socket's gate sets the feature: a call arriving any other way is refused.
        return feature?.Credentials ?? throw new RpcException(new Status(StatusCode.PermissionDenied, "the admin API is served only on the admin socket"));
    }
}
