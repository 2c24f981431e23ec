using System.Security.Cryptography;
using System.Text;
using Tessera.Bench.Agent;
using Tessera.Contracts.Admin.V1;
using Tessera.Spiffe.Jwt;
using Tessera.Spiffe.WorkloadApi;

namespace Tessera.Bench.Jwt;

/// <summary>
/// <c>jwt</c>: JWT-SVID mint latency and rate through a real agent's Workload API (real server and agent child
/// processes), cached (same audience) and uncached (a fresh audience per call, so the agent asks the server), and
/// validation rate in the SDK (<see cref="JwtSvidValidator"/> and the ASP.NET Core scheme), each as a ratio to the raw
/// ES256 sign or verify rate measured in the same run.
/// </summary>
internal static class JwtScenario
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        JwtBenchOptions options;
        try
        {
            options = JwtBenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }

        return await BenchServer.InTempDirectoryAsync("jwt", dir => RunAsync(options, dir, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task RunAsync(JwtBenchOptions options, string dir, CancellationToken ct)
    {
        var duration = TimeSpan.FromSeconds(options.Seconds);
        await using var server = await StartServerAsync(dir, ct).ConfigureAwait(false);
        await using var client = new WorkloadApiClient(new WorkloadApiClientOptions { Address = server.Socket, CallTimeout = TimeSpan.FromSeconds(30) });
        await UntilServedAsync(client, ct).ConfigureAwait(false);

        var bundles = await client.FetchJwtBundlesAsync(ct).ConfigureAwait(false);
        var token = (await client.FetchJwtSvidAsync("bench-validate", cancellationToken: ct).ConfigureAwait(false)).Token;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var input = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
        var signature = key.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var rates = RateMeter.BestRates(
            duration,
            3,
            () => key.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            () => Check(key.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
            () => Check(JwtSvidValidator.Validate(token, bundles, "bench-validate", TimeProvider.System, TimeSpan.Zero).IsValid));
        var (signRate, verifyRate, validate) = (rates[0], rates[1], rates[2]);
        Console.WriteLine($"raw ES256 (P-256, {token.Length}-char token's signing input, best of 3 alternating rounds): sign {signRate:N0}/s, verify {verifyRate:N0}/s");
        Console.WriteLine($"JwtSvidValidator.Validate: {validate:N0}/s = {validate / verifyRate:F2} x raw ES256 verify");

        var cached = await RateMeter.LatencyAsync(options.Calls, _ => client.FetchJwtSvidAsync("bench-cached", cancellationToken: ct)).ConfigureAwait(false);
        var uncached = await RateMeter.LatencyAsync(options.Calls, i => client.FetchJwtSvidAsync($"bench-fresh-{i}", cancellationToken: ct)).ConfigureAwait(false);
        var bound = await RateMeter.LatencyAsync(options.Calls, _ => client.FetchJwtSvidAsync("bench-bound", binding: JwtSvidBinding.X509Svid, cancellationToken: ct)).ConfigureAwait(false);
        Print("FetchJWTSVID via agent, cached (same audience)", cached, signRate, "sign");
        Print("FetchJWTSVID via agent, uncached (fresh audience: server mints)", uncached, signRate, "sign");
        Print("FetchJWTSVID via agent, certificate-bound, cached", bound, signRate, "sign");

        // Once more at the end: the first timed case pays for whatever warm-up the agent still needs.
        var cachedAgain = await RateMeter.LatencyAsync(options.Calls, _ => client.FetchJwtSvidAsync("bench-cached", cancellationToken: ct)).ConfigureAwait(false);
        Print("FetchJWTSVID via agent, cached, measured again last", cachedAgain, signRate, "sign");


        var http = await JwtHttpBench.RunAsync(bundles, token, "bench-validate", duration, ct).ConfigureAwait(false);
        Console.WriteLine($"ASP.NET Core over loopback HTTP/1.1, 1 client, best of 3 alternating rounds: anonymous {http.Anonymous:N0} req/s, SpiffeJwt {http.Jwt:N0} req/s = {http.Jwt / http.Anonymous:F2} x anonymous, {http.Jwt / verifyRate:F2} x raw ES256 verify");
    }

    private static void Check(bool ok)
    {
        if (!ok)
        {
            throw new InvalidOperationException("a signature or token that should verify did not");
        }
    }

    private static void Print(string what, RateMeter.Latency latency, double signRate, string raw) =>
        Console.WriteLine($"{what}: {latency.Calls} calls, p50 {latency.P50:F2} ms, p99 {latency.P99:F2} ms, {latency.Rate:N0}/s sequential = {latency.Rate / signRate:F3} x raw ES256 {raw}");

    private static async Task UntilServedAsync(WorkloadApiClient client, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                await client.FetchX509ContextAsync(ct).ConfigureAwait(false);
                return;
            }
            catch (WorkloadApiException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task<Processes> StartServerAsync(string dir, CancellationToken ct)
    {
        var server = await BenchServer.StartAsync(dir, ct).ConfigureAwait(false);
        await server.Admin.CreateEntriesAsync(
            new CreateEntriesRequest
            {
                Entries =
                {
                    new Entry
                    {
                        SpiffeId = "spiffe://example.org/bench/jwt",
                        ParentId = server.Token.AgentSpiffeId,
                        Selectors = { new Selector { Type = "unix", Value = "uid:" + server.Uid } },
                        X509SvidTtlSeconds = 3600,
                        Owner = "bench",
                    },
                },
            },
            cancellationToken: ct).ConfigureAwait(false);

        var socket = Path.Combine(dir, "public", "api.sock");
        var agent = server.StartAgent(socket, ChildProcess.FreePort());
        return new Processes(server, agent, socket);
    }

    private sealed record Processes(BenchServer Server, ChildProcess Agent, string Socket) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Agent.DisposeAsync().ConfigureAwait(false);
            await Server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
