using Grpc.Core;

namespace Tessera.Server.AdminApi;

/// <summary>Maps the server's expected exceptions to gRPC statuses (extended as the datastore and registration land).</summary>
internal static class AdminErrorMapper
{
    public static bool TryMap(Exception exception, out Status status)
    {
        status = exception switch
        {
            FormatException or ArgumentException => new Status(StatusCode.InvalidArgument, exception.Message),
            _ => default,
        };
        return exception is FormatException or ArgumentException;
    }
}
