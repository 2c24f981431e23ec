using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Tessera.Server.AdminApi;

namespace Tessera.Server.NodeApi;

/// <summary>
/// The one place where node API failures become gRPC statuses, for unary and streaming calls alike. It also
/// refuses any call that did not arrive on the agent listener, so the node service is unreachable on the admin
/// socket. Unexpected failures are logged and reach the agent as a bare Internal error.
/// </summary>
internal sealed partial class NodeErrorInterceptor(ILogger<NodeErrorInterceptor> logger) : Interceptor
{
    public const string NotOnAgentPort = "the node API is served only on the agent port";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        GuardAsync(context, () => continuation(request, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        GuardAsync(context, async () =>
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return true;
        });

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        GuardAsync(context, async () =>
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
            return true;
        });

    private async Task<T> GuardAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        if (context.GetHttpContext().Features.Get<NodeConnectionFeature>() is null)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, NotOnAgentPort));
        }

        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (Exception ex) when (AdminErrorMapper.TryMap(ex, out var status))
        {
            throw new RpcException(status);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, ex, context.Method);
            throw new RpcException(new Status(StatusCode.Internal, "internal error; see the server log"));
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Error, Message = "node API {Method} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method);
}
