using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using Tessera.Cli.Internal;
using Tessera.Spiffe.Ids;

namespace Tessera.Cli.Drill;

/// <summary>
/// A <c>tessera proxy inbound</c> child process (this same executable, so the canary entries' selectors match it)
/// presenting the canary server identity in front of the drill's echo service and allowing only the canary client.
/// Stopped with SIGTERM (then killed) on dispose.
/// </summary>
internal sealed class ProxyChild : IAsyncDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(5);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ProxyChild(Process process, IPEndPoint endPoint)
    {
        _process = process;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Starts the proxy and waits until it listens; throws <see cref="DrillFailure"/> with its output when it does not within <paramref name="limit"/>.</summary>
    public static async Task<ProxyChild> StartAsync(string workloadSocket, IPEndPoint forward, SpiffeId serverId, SpiffeId clientId, TimeSpan limit, CancellationToken cancellationToken)
    {
        var endPoint = new IPEndPoint(IPAddress.Loopback, LoopbackPorts.Free());
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var (executable, prefix) = SelfCommand();
        psi.FileName = executable;
        foreach (var argument in (string[])[.. prefix, "proxy", "inbound", "--listen", endPoint.ToString(), "--forward", forward.ToString(),
            "--allow", clientId.ToString(), "--spiffe-id", serverId.ToString(), "--socket", workloadSocket])
        {
            psi.ArgumentList.Add(argument);
        }

        var child = new ProxyChild(Process.Start(psi) ?? throw new DrillFailure($"could not start {executable}"), endPoint);
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(limit);
            await Task.WhenAny(child._listening.Task, child._process.WaitForExitAsync(deadline.Token)).ConfigureAwait(false);
            if (!child._listening.Task.IsCompleted)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new DrillFailure($"`tessera proxy inbound` did not start listening within {limit.TotalSeconds:0} s:\n{child.Output}");
            }
        }
        catch
        {
            await child.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return child;
    }

    /// <summary>Gets what the proxy printed so far (for error messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Sends SIGTERM without waiting: the proxy shuts down gracefully, as under an init system.</summary>
    public void BeginStop()
    {
        if (!_process.HasExited)
        {
            _ = Libc.Kill(_process.Id, 15);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                BeginStop();
                using var limit = new CancellationTokenSource(StopLimit);
                await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>The command line that runs this CLI again: the apphost, or <c>dotnet tessera.dll</c>.</summary>
    internal static (string Executable, string[] Prefix) SelfCommand()
    {
        var path = Environment.ProcessPath ?? throw new DrillFailure("cannot tell which executable runs the drill (no process path)");
        return Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? (path, [Assembly.GetEntryAssembly()?.Location ?? throw new DrillFailure("cannot tell which assembly runs the drill")])
            : (path, []);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // The proxy logs one line per connection; keep the head (start-up) and enough for an error message.
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }

        if (line.Contains("proxy inbound: listening", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }
    }
}
