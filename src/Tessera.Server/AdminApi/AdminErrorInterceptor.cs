using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Tessera.Server.AdminApi;

/// <summary>
/// The one place where admin API failures become gRPC statuses. Expected failures carry their message;
/// anything unexpected is logged here and reaches the caller as a bare Internal error — internals and
/// key material never leave the server.
/// </summary>
internal sealed partial class AdminErrorInterceptor(ILogger<AdminErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (Exception ex) when (AdminErrorMapper.TryMap(ex, out var status))
        {
            throw new RpcException(status);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnexpected(logger, ex, context.Method);
            throw new RpcException(new Status(StatusCode.Internal, "internal error; see the server log"));
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "admin API {Method} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method);
}
