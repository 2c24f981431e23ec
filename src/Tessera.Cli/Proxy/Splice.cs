using System.Net.Security;
using System.Net.Sockets;

namespace Tessera.Cli.Proxy;

/// <summary>
/// Copies bytes both ways between the plain side and the TLS side until both directions end. A direction ends at
/// its source's end of stream, and the end is passed on (half-close): a FIN on the plain socket becomes a TLS
/// close_notify, a close_notify becomes a FIN, so protocols that shut down writing before reading the answer work.
/// </summary>
internal static class Splice
{
    private const int BufferSize = 16 * 1024;

    /// <summary>Returns the bytes copied plain → TLS and TLS → plain; an error in either direction aborts both.</summary>
    public static async Task<(long ToTls, long ToPlain)> RunAsync(Socket plain, SslStream tls, CancellationToken cancellationToken)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var plainStream = new NetworkStream(plain, ownsSocket: false);
        var toTls = PumpAsync(plainStream, tls, () => tls.ShutdownAsync(), abort);
        var toPlain = PumpAsync(tls, plainStream, () =>
        {
            plain.Shutdown(SocketShutdown.Send);
            return Task.CompletedTask;
        }, abort);
        await Task.WhenAll(toTls, toPlain).ConfigureAwait(false);
        return (toTls.Result, toPlain.Result);
    }

    private static async Task<long> PumpAsync(Stream from, Stream to, Func<Task> endWriting, CancellationTokenSource abort)
    {
        var buffer = new byte[BufferSize];
        long total = 0;
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, abort.Token).ConfigureAwait(false)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), abort.Token).ConfigureAwait(false);
                total += read;
            }

            await endWriting().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // A reset or an abort on one side ends the other direction too: nobody is left to talk to.
            await abort.CancelAsync().ConfigureAwait(false);
        }

        return total;
    }
}
