using System.Globalization;

namespace Tessera.Bench.Revocation;

/// <summary>The <c>revocation</c> scenario's flags: <c>--agents N --workloads N --rounds N</c>.</summary>
internal sealed record RevocationBenchOptions(int Agents, int Workloads, int Rounds)
{
    public static RevocationBenchOptions Parse(IReadOnlyList<string> args)
    {
        var (agents, workloads, rounds) = (10, 1000, 10);
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            var number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new ArgumentException($"{args[i]}: '{value}' is not a positive whole number");
            switch (args[i])
            {
                case "--agents": agents = number; break;
                case "--workloads": workloads = number; break;
                case "--rounds": rounds = number; break;
                default: throw new ArgumentException($"unknown flag {args[i]} (use --agents, --workloads, --rounds)");
            }

            i++;
        }

        return workloads < agents
            ? throw new ArgumentException($"--workloads ({workloads}) must be at least --agents ({agents})")
            : new RevocationBenchOptions(agents, workloads, rounds);
    }
}
