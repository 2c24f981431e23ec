using Microsoft.Extensions.Hosting;

namespace Tessera.Agent.Hosting;

/// <summary>
/// How a background service stops the agent for good (e.g. it was evicted and cannot attest again): the reason is
/// kept for <c>tessera agent run</c> to print and map to a non-zero exit code, then the host shuts down.
/// </summary>
internal sealed class AgentTermination(IHostApplicationLifetime lifetime)
{
    private string? _reason;

    /// <summary>Why the agent stopped itself, or null if it did not.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    public void Fail(string reason)
    {
        Interlocked.CompareExchange(ref _reason, reason, null);

        // Stopping while the host is still starting (a refusal that comes back before Kestrel has bound the
        // sockets) would cancel the start itself and surface as a TaskCanceledException instead of this reason:
        // stop once started (at once if it already has).
        lifetime.ApplicationStarted.Register(lifetime.StopApplication);
    }
}
