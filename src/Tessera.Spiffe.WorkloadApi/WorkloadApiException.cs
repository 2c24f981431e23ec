using Grpc.Core;

namespace Tessera.Spiffe.WorkloadApi;

/// <summary>
/// A Workload API call failed: the agent refused it, could not be reached, or answered with something that is not
/// a valid Workload API response. <see cref="StatusCode"/> says which; the message is the agent's or ours.
/// </summary>
public sealed class WorkloadApiException : Exception
{
    /// <summary>Creates an exception with the status code of the failed call and a message saying what happened.</summary>
    public WorkloadApiException(StatusCode statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>Creates an exception with status <see cref="StatusCode.Unknown"/>.</summary>
    public WorkloadApiException()
        : this(StatusCode.Unknown, "the Workload API call failed")
    {
    }

    /// <summary>Creates an exception with status <see cref="StatusCode.Unknown"/> and <paramref name="message"/>.</summary>
    public WorkloadApiException(string message)
        : this(StatusCode.Unknown, message)
    {
    }

    /// <summary>Creates an exception with status <see cref="StatusCode.Unknown"/>, <paramref name="message"/> and a cause.</summary>
    public WorkloadApiException(string message, Exception innerException)
        : this(StatusCode.Unknown, message, innerException)
    {
    }

    /// <summary>
    /// Gets the gRPC status of the call. <see cref="StatusCode.PermissionDenied"/> means the agent attested the caller
    /// and holds no identity for it (SPIFFE Workload API §5.2); <see cref="StatusCode.Unavailable"/> that nothing
    /// answered on the socket; <see cref="StatusCode.InvalidArgument"/> that the request was rejected;
    /// <see cref="StatusCode.Internal"/> with an inner <see cref="FormatException"/> that the response was malformed.
    /// </summary>
    public StatusCode StatusCode { get; }

    /// <summary>Gets whether the agent refused to issue an identity to the caller (<see cref="StatusCode.PermissionDenied"/>).</summary>
    public bool IsPermissionDenied => StatusCode == StatusCode.PermissionDenied;

    /// <summary>Wraps a gRPC failure, keeping the agent's status and detail.</summary>
    internal static WorkloadApiException FromRpc(RpcException exception) =>
        new(exception.StatusCode, exception.Status.Detail, exception);

    /// <summary>Wraps a response that is not a valid Workload API message.</summary>
    internal static WorkloadApiException Malformed(string what, Exception exception) =>
        new(StatusCode.Internal, $"malformed {what} from the Workload API: {exception.Message}", exception);
}
