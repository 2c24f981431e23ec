using System.Globalization;

namespace Tessera.Bench.Agent;

/// <summary>Command line of the <c>agent</c> scenario: <c>[--entries N] [--streams N] [--calls N] [--creates N]</c>.</summary>
internal sealed record AgentBenchOptions
{
    /// <summary>Entries parented to the agent (the sync measurement).</summary>
    public int Entries { get; init; } = 10_000;

    /// <summary>Concurrent FetchX509SVID streams, one connection each (the memory-per-stream measurement).</summary>
    public int Streams { get; init; } = 1_000;

    /// <summary>First-response latency samples.</summary>
    public int Calls { get; init; } = 300;

    /// <summary>Entry-create-to-workload samples.</summary>
    public int Creates { get; init; } = 20;

    public static AgentBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new AgentBenchOptions();
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"option '{args[i]}' needs a value");
            options = args[i] switch
            {
                "--entries" => options with { Entries = Positive(args[i], value) },
                "--streams" => options with { Streams = Positive(args[i], value) },
                "--calls" => options with { Calls = Positive(args[i], value) },
                "--creates" => options with { Creates = Positive(args[i], value) },
                _ => throw new ArgumentException($"unknown option '{args[i]}': use --entries N, --streams N, --calls N, --creates N"),
            };
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"option '{name}' must be a positive integer, not '{value}'");
}
