using Grpc.Core;
using Tessera.Server.Datastore;

namespace Tessera.Server.AdminApi;

/// <summary>Maps the server's expected exceptions to gRPC statuses; messages are ours and never carry secrets.</summary>
internal static class AdminErrorMapper
{
    public static bool TryMap(Exception exception, out Status status)
    {
        status = exception switch
        {
            // The datastore's message names the database and host, never the password.
            DataStoreUnavailableException => new Status(StatusCode.Unavailable, $"datastore unavailable: {exception.Message}"),
            DataStoreConflictException conflict => new Status(conflict.Conflict == DataStoreConflict.Revision ? StatusCode.Aborted : StatusCode.AlreadyExists, exception.Message),
            FormatException or ArgumentException => new Status(StatusCode.InvalidArgument, exception.Message),
            _ => default,
        };
        return status.StatusCode != StatusCode.OK;
    }
}
