using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Agents;
using Tessera.Hosting.Configuration;
using Tessera.Spiffe.Ids;

namespace Tessera.Cli.Drill;

/// <summary>The flags of <c>tessera drill revocation</c> and their validation (every problem is collected, then reported).</summary>
internal sealed class DrillOptions
{
    public const int MaxRounds = 100;

    public WorkloadApiConnection Connection { get; } = new();

    public Option<string> AdminSocket { get; } = new("--admin-socket")
    {
        Description = $"the server's admin socket (default: $TESSERA_ADMIN_SOCKET or {AdminConnection.DefaultSocket})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_ADMIN_SOCKET") ?? AdminConnection.DefaultSocket,
    };

    public Option<string> ParentId { get; } = new("--parent-id") { Description = "the agent serving --socket, parent of the canary entries (default: the only attested agent)" };

    public Option<string> Bound { get; } = new("--bound") { Description = "every enforcement point must refuse within this long after the revocation is sent", DefaultValueFactory = _ => "2s" };

    public Option<int> Rounds { get; } = new("--rounds") { Description = $"how many times each kind is rehearsed, for p50 and max (1-{MaxRounds})", DefaultValueFactory = _ => 3 };

    public Option<string> Kinds { get; } = new("--kinds") { Description = $"comma-separated revocation kinds (default: all: {string.Join(",", DrillKinds.All.Select(k => k.Name))})" };

    public Option<string> ServerCrl { get; } = new("--server-crl") { Description = "the server's CRL to check: its http(s) /crl URL or a crl.pem file (default: crl.pem beside the admin socket, if there)" };

    public Option<bool> NoCrl { get; } = new("--no-crl") { Description = "do not check the CRL" };

    public Option<bool> Json { get; } = new("--json") { Description = "print the report as JSON" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { AdminSocket, ParentId, Bound, Rounds, Kinds, ServerCrl, NoCrl, Json })
        {
            command.Options.Add(option);
        }

        Connection.AddTo(command);
    }

    /// <summary>Returns the settings, or null with every problem added to <paramref name="problems"/> (the Workload API flags print theirs).</summary>
    public DrillSettings? Resolve(ParseResult result, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!TryParseBound(result.GetValue(Bound), out var bound, out var error))
        {
            problems.Add($"--bound: {error}");
        }
        else if (bound > TimeSpan.FromMinutes(5))
        {
            problems.Add("--bound: give at most 5m");
        }

        var rounds = result.GetValue(Rounds);
        if (rounds is < 1 or > MaxRounds)
        {
            problems.Add($"--rounds: give a number from 1 to {MaxRounds}");
        }

        var kinds = DrillKinds.Parse(result.GetValue(Kinds), problems);
        SpiffeId? parent = null;
        if (result.GetValue(ParentId) is { } parentText)
        {
            if (SpiffeId.TryParse(parentText, out var parsed))
            {
                parent = parsed;
            }
            else
            {
                problems.Add($"--parent-id: '{parentText}' is not a SPIFFE ID (spiffe://trust-domain/path)");
            }
        }

        var crl = result.GetValue(ServerCrl);
        var noCrl = result.GetValue(NoCrl);
        if (crl is not null && noCrl)
        {
            problems.Add("give at most one of --server-crl and --no-crl");
        }
        else if (crl is not null && crl.Contains("://", StringComparison.Ordinal) && !CrlPoint.IsUrl(crl))
        {
            problems.Add($"--server-crl: '{crl}' is neither an http(s) URL nor a file path");
        }

        // The Workload API flags print their own problem (as in every `agent api` verb).
        var connection = Connection.TryResolve(result, out var socket, out var timeout);
        if (problems.Count > 0 || kinds is null || !connection)
        {
            return null;
        }

        return new DrillSettings
        {
            AdminSocket = result.GetValue(AdminSocket)!,
            WorkloadSocket = socket,
            WorkloadTimeout = timeout,
            ParentId = parent,
            Bound = bound,
            Rounds = rounds,
            Kinds = kinds,
            CrlSource = crl,
            NoCrl = noCrl,
            Json = result.GetValue(Json),
        };
    }

    /// <summary>Parses the bound: milliseconds (<c>500ms</c>) as well as the usual <c>2s</c>, <c>1m</c>.</summary>
    private static bool TryParseBound(string? text, out TimeSpan bound, out string? error)
    {
        if (text is not null && text.EndsWith("ms", StringComparison.Ordinal))
        {
            error = null;
            if (int.TryParse(text.AsSpan(0, text.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms > 0)
            {
                bound = TimeSpan.FromMilliseconds(ms);
                return true;
            }

            bound = default;
            error = $"'{text}' is not a duration; write a positive whole number and a unit, e.g. 500ms, 2s or 1m";
            return false;
        }

        return DurationParser.TryParse(text, out bound, out error);
    }
}
