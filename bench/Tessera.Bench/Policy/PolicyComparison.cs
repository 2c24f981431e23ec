using System.Diagnostics;
using System.Text.Json;
using Tessera.Policy.Authorization;

namespace Tessera.Bench.Policy;

/// <summary>
/// The <c>policy</c> mode: decisions per second of Tessera and of cedar-wasm (run under Node by
/// interop/cedar-wasm/bench.mjs) on the same two workloads, after checking that both give the same
/// decision for every request. Prints one line per workload with both rates and their ratio.
/// </summary>
internal static class PolicyComparison
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length >= 2 && args[0] == "--seconds" && double.TryParse(args[1], out var s) ? s : 3.0;
        var script = Path.Combine(RepoRoot(), "interop", "cedar-wasm", "bench.mjs");
        Console.WriteLine($"{"workload",-34}{"Tessera/s",14}{"µs/decision",14}{"cedar-wasm/s",16}{"µs/decision",14}{"ratio",10}");
        foreach (var workload in new[] { PolicyWorkload.Small(), PolicyWorkload.Large() })
        {
            var (policies, entities) = workload.Load();
            var requests = workload.TesseraRequests();
            var decisions = requests.Select(r => policies.IsAuthorized(r, entities).Decision == Decision.Allow ? "allow" : "deny").ToList();

            // Warm up first so the measured loop runs fully optimised code (tiered JIT), as BenchmarkDotNet does.
            for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < seconds / 2;)
            {
                policies.IsAuthorized(requests[(int)(warm.ElapsedTicks % requests.Count)], entities);
            }

            var count = 0L;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                policies.IsAuthorized(requests[(int)(count % requests.Count)], entities);
                count++;
            }

            var tessera = count / clock.Elapsed.TotalSeconds;
            var (wasm, wasmDecisions) = await RunWasmAsync(script, workload, seconds).ConfigureAwait(false);
            if (!wasmDecisions.SequenceEqual(decisions))
            {
                Console.Error.WriteLine($"{workload.Name}: Tessera and cedar-wasm disagree on some decisions");
                return 1;
            }

            Console.WriteLine($"{workload.Name,-34}{tessera,14:N0}{1e6 / tessera,14:N2}{wasm,16:N0}{1e6 / wasm,14:N1}{tessera / wasm,9:N0}×");
        }

        return 0;
    }

    private static async Task<(double PerSecond, List<string> Decisions)> RunWasmAsync(string script, PolicyWorkload workload, double seconds)
    {
        var file = Path.GetTempFileName();
        try
        {
            var input = new
            {
                policies = workload.PoliciesText,
                entities = JsonDocument.Parse(workload.EntitiesJson).RootElement,
                requests = workload.Requests.Select(r => new
                {
                    principal = new { type = "User", id = r.Principal },
                    action = new { type = "Action", id = r.Action },
                    resource = new { type = "Doc", id = r.Resource },
                    context = new { mfa = r.Mfa, hour = r.Hour },
                }),
                seconds,
            };
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(input)).ConfigureAwait(false);
            var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(script);
            psi.ArgumentList.Add(file);
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"node {script} exited {process.ExitCode}: {await stderr.ConfigureAwait(false)} (run `npm ci` in interop/cedar-wasm)");
            }

            using var result = JsonDocument.Parse(await stdout.ConfigureAwait(false));
            return (result.RootElement.GetProperty("perSecond").GetDouble(),
                [.. result.RootElement.GetProperty("decisions").EnumerateArray().Select(d => d.GetString()!)]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tessera.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run from inside the Tessera repository (Tessera.slnx not found above the program)");
    }
}
