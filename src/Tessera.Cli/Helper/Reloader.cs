using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Tessera.Cli.Internal;

namespace Tessera.Cli.Helper;

/// <summary>Tells the program that reads the files to reload them: runs <c>--cmd</c> or signals the pid in <c>--pid-file</c>.</summary>
internal sealed class Reloader(HelperSettings settings, TimeProvider time)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        if (settings.Command is { } command)
        {
            await RunAsync(command, cancellationToken).ConfigureAwait(false);
        }
        else if (settings.Signal is { } signal)
        {
            Signal(signal.Name, signal.Number, settings.PidFile!);
        }
    }

    private async Task RunAsync(string command, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        using var process = Process.Start(psi);
        if (process is null)
        {
            ConsoleLog.Error(time, "reload: could not start /bin/sh");
            return;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            ConsoleLog.Error(time, $"reload: command did not finish within {CommandTimeout.TotalSeconds:0}s; killed it");
            return;
        }

        if (process.ExitCode == 0)
        {
            ConsoleLog.Info(time, "reload: command exited 0");
        }
        else
        {
            ConsoleLog.Error(time, $"reload: command exited {process.ExitCode}");
        }
    }

    private void Signal(string name, int number, string pidFile)
    {
        string text;
        try
        {
            text = File.ReadAllText(pidFile).Trim();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // Normal on the first write: the program starts once its certificate files exist.
            ConsoleLog.Info(time, $"reload: pid file {pidFile} does not exist (yet); no {name} sent");
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ConsoleLog.Error(time, $"reload: cannot read pid file {pidFile}: {ex.Message}");
            return;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
        {
            ConsoleLog.Error(time, $"reload: pid file {pidFile} does not hold a pid");
            return;
        }

        if (Libc.Kill(pid, number) != 0)
        {
            ConsoleLog.Error(time, $"reload: could not send {name} to pid {pid}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastSystemError())}");
            return;
        }

        ConsoleLog.Info(time, $"reload: sent {name} to pid {pid}");
    }
}
