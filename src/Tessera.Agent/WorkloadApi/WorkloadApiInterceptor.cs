using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Tessera.Agent.WorkloadApi;

/// <summary>
/// Runs before every Workload API call: rejects calls without the <c>workload.spiffe.io: true</c> header
/// (SPIFFE Workload API §4.1), and turns anything unexpected into a bare Internal status so nothing of the
/// agent's internals reaches a workload. A stream ended by the client's disconnect ends quietly.
/// </summary>
internal sealed partial class WorkloadApiInterceptor(ILogger<WorkloadApiInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        RequireSecurityHeader(context);
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException and not OperationCanceledException)
        {
            LogUnexpected(logger, ex, context.Method);
            throw WorkloadApiErrors.Internal();
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        RequireSecurityHeader(context);
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException && context.CancellationToken.IsCancellationRequested)
        {
            // The workload went away (disconnect, deadline): nobody is left to tell. A write racing the disconnect
            // fails with InvalidOperationException ("the request is complete"), which is the same event.
        }
        catch (Exception ex) when (ex is not RpcException and not OperationCanceledException)
        {
            LogUnexpected(logger, ex, context.Method);
            throw WorkloadApiErrors.Internal();
        }
    }

    private static void RequireSecurityHeader(ServerCallContext context)
    {
        if (!string.Equals(context.RequestHeaders.GetValue(WorkloadApiErrors.SecurityHeader), "true", StringComparison.Ordinal))
        {
            throw WorkloadApiErrors.MissingSecurityHeader();
        }
    }

    [LoggerMessage(EventId = 4200, Level = LogLevel.Error, Message = "Workload API {Method} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method);
}
