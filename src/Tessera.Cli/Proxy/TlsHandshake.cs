using System.Security.Authentication;
using Tessera.Spiffe.Tls;

namespace Tessera.Cli.Proxy;

/// <summary>Runs one TLS handshake within a time limit and turns its failure into one log-ready sentence.</summary>
internal static class TlsHandshake
{
    /// <summary>Returns null when the handshake succeeded, otherwise why it failed (the SPIFFE refusal when there was one).</summary>
    public static async Task<string?> RunAsync(Func<CancellationToken, Task> handshake, Func<PeerRejection?> rejection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await handshake(limit.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"TLS handshake not done within {timeout.TotalSeconds:0.#}s";
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            // The SPIFFE verdict says more than SslStream's generic "remote certificate was rejected".
            return rejection()?.ToString() ?? $"TLS handshake failed: {Tessera.Cli.Internal.ConsoleLog.Sanitize(ex.InnerException?.Message ?? ex.Message)}";
        }
    }
}
