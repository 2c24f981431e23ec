using System.Diagnostics;
using System.Text;

namespace Tessera.Cli.Tests.Samples;

/// <summary>
/// One of the samples' apphost executables run as a child process (so the agent sees its own path in
/// <c>/proc/&lt;pid&gt;/exe</c>), with the Workload API socket in <c>SPIFFE_ENDPOINT_SOCKET</c> and its output kept.
/// </summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SampleProcess(Process process) => _process = process;

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

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The apphost of sample <paramref name="name"/>, built beside this test assembly's configuration.</summary>
    public static string AppHost(string name)
    {
        // .../tests/Tessera.Cli.Tests/bin/<Configuration>/<tfm>/
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(RepoPaths.Root, "samples", name, "bin", tfm.Parent!.Name, tfm.Name, name);
        Assert.True(File.Exists(path), $"sample apphost not built: {path}");
        return path;
    }

    public static SampleProcess Start(string executable, string socket, params string[] arguments)
    {
        var psi = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.Environment["SPIFFE_ENDPOINT_SOCKET"] = "unix://" + socket;
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        var process = Process.Start(psi)!;
        var sample = new SampleProcess(process);
        process.OutputDataReceived += (_, e) => sample.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sample.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sample;
    }

    /// <summary>Waits (time-boxed) until the output contains <paramref name="text"/>; fails with the output if the process exits first.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(_process.HasExited, $"exited with {(_process.HasExited ? _process.ExitCode : 0)} before writing '{text}':\n{Output}");
            Assert.True(DateTime.UtcNow < deadline, $"no '{text}' within {timeout}:\n{Output}");
            await Task.Delay(100);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);

        // The parameterless wait also drains the redirected output.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
