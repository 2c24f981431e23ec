using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Tessera.Bench.Agent;
using Tessera.Contracts.Admin.V1;
using Tessera.Server.Ca;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.WorkloadApi;

namespace Tessera.Bench.Revocation;

/// <summary>
/// <c>revocation</c>: a real server and N real agents (default 10) holding M workload identities (default 1,000)
/// for this process. Measures revocation propagation from the admin call to every enforcement point — each agent's
/// deny list (what the SDK's mTLS and JWT checks and <c>tessera proxy</c> consult on every handshake and token),
/// each agent's <c>ValidateJWTSVID</c>, and the holder's re-issued SVID — and the emergency CA rotation of every
/// workload. The anchor: SPIRE leaves a stolen X509-SVID usable until it expires (1 h by default).
/// </summary>
internal static class RevocationScenario
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        RevocationBenchOptions options;
        try
        {
            options = RevocationBenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }

        return await BenchServer.InTempDirectoryAsync("revocation", dir => RunAsync(options, dir, ct)).ConfigureAwait(false);
    }

    private static async Task RunAsync(RevocationBenchOptions options, string dir, CancellationToken ct)
    {
        await using var bench = await BenchServer.StartAsync(dir, ct).ConfigureAwait(false);
        var agents = new List<BenchAgent>();
        try
        {
            var started = Stopwatch.StartNew();
            for (var a = 0; a < options.Agents; a++)
            {
                var token = a == 0 ? bench.Token : await bench.Admin.GenerateJoinTokenAsync(new GenerateJoinTokenRequest { TtlSeconds = 3600 }, cancellationToken: ct).ConfigureAwait(false);
                var socket = Path.Combine(dir, $"agent{a}.sock");
                agents.Add(new BenchAgent(bench.StartAgent(token, $"agent{a}", socket, ChildProcess.FreePort()), SpiffeId.Parse(token.AgentSpiffeId), socket));
            }

            await CreateEntriesAsync(bench, agents, options.Workloads, ct).ConfigureAwait(false);
            foreach (var agent in agents)
            {
                agent.Svids = await X509Source.CreateAsync(agent.SourceOptions(TimeSpan.FromMinutes(10)), ct).ConfigureAwait(false);
                agent.DenyList = await DenyListSource.CreateAsync(agent.SourceOptions(TimeSpan.FromMinutes(1)), ct).ConfigureAwait(false);
                agent.Client = new WorkloadApiClient(new WorkloadApiClientOptions { Address = "unix://" + agent.Socket });
            }

            await UntilAsync(() => agents.All(a => a.Svids!.Context.Svids.Count == a.Workloads.Count), TimeSpan.FromMinutes(10), "every workload SVID").ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{options.Agents} agents, {options.Workloads} workload identities held in {started.Elapsed.TotalSeconds:0.0} s"));

            var x509 = await X509RoundsAsync(bench, agents, options.Rounds, ct).ConfigureAwait(false);
            var jwt = await JwtRoundsAsync(bench, agents, options.Rounds, ct).ConfigureAwait(false);
            Print("X509-SVID by serial", x509);
            Print("JWT-SVID by jti", jwt);
            await RotationAsync(bench, agents, ct).ConfigureAwait(false);
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task CreateEntriesAsync(BenchServer bench, List<BenchAgent> agents, int workloads, CancellationToken ct)
    {
        for (var start = 0; start < workloads; start += 500)
        {
            var request = new CreateEntriesRequest();
            for (var i = start; i < Math.Min(workloads, start + 500); i++)
            {
                var agent = agents[i % agents.Count];
                var id = SpiffeId.Parse($"spiffe://{agent.Id.TrustDomain}/bench/revocation/w{i}");
                agent.Workloads.Add(id);
                request.Entries.Add(new Entry
                {
                    SpiffeId = id.ToString(),
                    ParentId = agent.Id.ToString(),
                    Selectors = { new Selector { Type = "unix", Value = $"uid:{bench.Uid}" } },
                    Owner = "bench",
                });
            }

            await bench.Admin.CreateEntriesAsync(request, cancellationToken: ct).ConfigureAwait(false);
        }
    }

    /// <summary>Revokes one X509-SVID per round (holders rotate over the agents) and times every agent's deny list and the holder's re-issue.</summary>
    private static async Task<Dictionary<string, List<double>>> X509RoundsAsync(BenchServer bench, List<BenchAgent> agents, int rounds, CancellationToken ct)
    {
        var samples = new Dictionary<string, List<double>> { ["every agent's deny list (SDK mTLS, proxy)"] = [], ["slowest agent's deny list"] = [], ["holder re-issued"] = [] };
        for (var r = 0; r < rounds; r++)
        {
            var holder = agents[r % agents.Count];
            var svid = holder.Svids!.Context.Svids[r % holder.Svids.Context.Svids.Count];
            var serial = svid.Certificate.SerialNumber;
            var id = svid.Id;
            var clock = Stopwatch.StartNew();
            await bench.Admin.RevokeX509SvidsAsync(new RevokeX509SvidsRequest { Serial = serial, Reason = "bench" }, cancellationToken: ct).ConfigureAwait(false);
            var denied = await TimesAsync(agents.Select(a => (Func<bool>)(() => a.DenyList!.DenyList.IsSerialRevoked(serial))).Append(() =>
                holder.Svids.Context.Svids.FirstOrDefault(s => s.Id == id) is { } now && now.Certificate.SerialNumber != serial), clock).ConfigureAwait(false);
            samples["every agent's deny list (SDK mTLS, proxy)"].AddRange(denied.Take(agents.Count));
            samples["slowest agent's deny list"].Add(denied.Take(agents.Count).Max());
            samples["holder re-issued"].Add(denied[^1]);
        }

        return samples;
    }

    /// <summary>Revokes one JWT-SVID per round by jti and times every agent's ValidateJWTSVID refusing it and every deny list holding it.</summary>
    private static async Task<Dictionary<string, List<double>>> JwtRoundsAsync(BenchServer bench, List<BenchAgent> agents, int rounds, CancellationToken ct)
    {
        var samples = new Dictionary<string, List<double>> { ["every agent's deny list (SDK JWT)"] = [], ["every agent's ValidateJWTSVID"] = [], ["slowest ValidateJWTSVID"] = [] };
        for (var r = 0; r < rounds; r++)
        {
            var holder = agents[r % agents.Count];
            var jwt = await holder.Client!.FetchJwtSvidAsync("bench-revocation", spiffeId: holder.Workloads[r % holder.Workloads.Count], cancellationToken: ct).ConfigureAwait(false);
            var jti = jwt.JwtId!;
            var clock = Stopwatch.StartNew();
            await bench.Admin.RevokeJwtSvidsAsync(new RevokeJwtSvidsRequest { Jti = jti, ExpiresAtUnix = jwt.Expiry.ToUnixTimeSeconds(), Reason = "bench" }, cancellationToken: ct).ConfigureAwait(false);
            var lists = TimesAsync(agents.Select(a => (Func<bool>)(() => a.DenyList!.DenyList.JwtIds.ContainsKey(jti))), clock);
            var validators = Task.WhenAll(agents.Select(a => RefusedAfterAsync(a.Client!, jwt.Token, clock, ct)));
            samples["every agent's deny list (SDK JWT)"].AddRange(await lists.ConfigureAwait(false));
            var refused = await validators.ConfigureAwait(false);
            samples["every agent's ValidateJWTSVID"].AddRange(refused);
            samples["slowest ValidateJWTSVID"].Add(refused.Max());
        }

        return samples;
    }

    private static async Task<double> RefusedAfterAsync(WorkloadApiClient client, string token, Stopwatch clock, CancellationToken ct)
    {
        while (clock.Elapsed < Limit)
        {
            try
            {
                await client.ValidateJwtSvidAsync(token, "bench-revocation", ct).ConfigureAwait(false);
            }
            catch (WorkloadApiException)
            {
                return clock.Elapsed.TotalMilliseconds;
            }
            catch (RpcException)
            {
                return clock.Elapsed.TotalMilliseconds;
            }

            await Task.Delay(2, ct).ConfigureAwait(false);
        }

        throw new TimeoutException("an agent kept accepting a revoked JWT-SVID for two minutes");
    }

    /// <summary>Polls every condition (about every 2 ms) and returns, per condition, the milliseconds until it first held.</summary>
    private static async Task<double[]> TimesAsync(IEnumerable<Func<bool>> conditions, Stopwatch clock)
    {
        var list = conditions.ToList();
        var times = new double[list.Count];
        Array.Fill(times, double.NaN);
        while (times.Any(double.IsNaN))
        {
            if (clock.Elapsed > Limit)
            {
                throw new TimeoutException($"{times.Count(double.IsNaN)} enforcement point(s) did not see the revocation within two minutes");
            }

            for (var i = 0; i < list.Count; i++)
            {
                if (double.IsNaN(times[i]) && list[i]())
                {
                    times[i] = clock.Elapsed.TotalMilliseconds;
                }
            }

            await Task.Delay(2).ConfigureAwait(false);
        }

        return times;
    }

    private static async Task RotationAsync(BenchServer bench, List<BenchAgent> agents, CancellationToken ct)
    {
        var signedBy = agents.ToDictionary(a => a, a => a.Svids!.Context.Svids.ToDictionary(s => s.Id, s => CertificateAuthority.AuthorityKeyIdentifier(s.Certificate)));
        var old = signedBy.Values.SelectMany(d => d.Values).ToHashSet(StringComparer.Ordinal);
        var total = signedBy.Values.Sum(d => d.Count);
        var clock = Stopwatch.StartNew();
        await bench.Admin.RotateCaAsync(new RotateCaRequest { Kind = "x509", Now = true, Reason = "bench emergency rotation" }, cancellationToken: ct).ConfigureAwait(false);
        var called = clock.Elapsed.TotalMilliseconds;
        double? first = null;
        double? all = null;
        double? removed = null;
        while (clock.Elapsed < Limit && removed is null)
        {
            var moved = agents.Sum(a => a.Svids!.Context.Svids.Count(s => signedBy[a].TryGetValue(s.Id, out var before) && CertificateAuthority.AuthorityKeyIdentifier(s.Certificate) != before));
            first ??= moved > 0 ? clock.Elapsed.TotalMilliseconds : null;
            all ??= moved == total ? clock.Elapsed.TotalMilliseconds : null;
            if (all is not null && !agents.Any(a => a.Svids!.TryGetX509Bundle(a.Id.TrustDomain, out var bundle) && bundle.Authorities.Any(c => old.Contains(CertificateAuthority.SubjectKeyIdentifier(c)))))
            {
                removed = clock.Elapsed.TotalMilliseconds;
            }

            await Task.Delay(10, ct).ConfigureAwait(false);
        }

        var c = CultureInfo.InvariantCulture;
        if (removed is null)
        {
            var keys = await bench.Admin.GetCaKeysAsync(new GetCaKeysRequest(), cancellationToken: ct).ConfigureAwait(false);
            Console.WriteLine($"old key still in a bundle after {Limit.TotalMinutes:0} min: {keys}");
            var server = await bench.Admin.GetBundleAsync(new GetBundleRequest(), cancellationToken: ct).ConfigureAwait(false);
            Console.WriteLine($"  server bundle: {string.Join(", ", Tessera.Spiffe.Bundles.SpiffeBundle.Parse(agents[0].Id.TrustDomain, System.Text.Encoding.UTF8.GetBytes(server.SpiffeBundleJson)).X509Bundle.Authorities.Select(CertificateAuthority.SubjectKeyIdentifier))}");
            foreach (var a in agents)
            {
                a.Svids!.TryGetX509Bundle(a.Id.TrustDomain, out var b);
                Console.WriteLine($"  {a.Id}: source bundle {string.Join(", ", b!.Authorities.Select(CertificateAuthority.SubjectKeyIdentifier))}; old {string.Join(", ", old)}");
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"emergency CA rotation (ca rotate --now) of {total} workload SVIDs on {agents.Count} agents"));
        Console.WriteLine(string.Create(c, $"  admin call returned           {called,9:0} ms"));
        Console.WriteLine(string.Create(c, $"  first workload on the new key {first,9:0} ms"));
        Console.WriteLine(string.Create(c, $"  every workload on the new key {all,9:0} ms   (includes the {2000} ms propagation delay, ca_reissue_delay)"));
        Console.WriteLine(string.Create(c, $"  old key out of every bundle   {removed,9:0} ms"));
    }

    private static void Print(string kind, Dictionary<string, List<double>> samples)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine($"{kind}: command → refusal (ms; SPIRE anchor: usable until expiry, 3,600,000 ms by default)");
        Console.WriteLine($"  {"enforcement point",-44} {"samples",8} {"p50",8} {"p95",8} {"max",8} {"anchor/p50",11}");
        foreach (var (point, values) in samples)
        {
            values.Sort();
            var p50 = Percentile(values, 0.50);
            Console.WriteLine(string.Create(c, $"  {point,-44} {values.Count,8} {p50,8:0.0} {Percentile(values, 0.95),8:0.0} {values[^1],8:0.0} {3_600_000 / p50,10:N0}x"));
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{what} did not arrive within {timeout.TotalMinutes:0} min");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }
}
