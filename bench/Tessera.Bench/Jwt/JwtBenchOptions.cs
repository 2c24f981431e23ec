using System.Globalization;

namespace Tessera.Bench.Jwt;

/// <summary>Command line of the <c>jwt</c> scenario: <c>[--calls N] [--seconds S]</c>.</summary>
internal sealed record JwtBenchOptions
{
    /// <summary>JWT-SVID fetches timed per case (cached, uncached, bound).</summary>
    public int Calls { get; init; } = 500;

    /// <summary>How long each in-process rate (raw sign/verify, validation, HTTP) is measured, in seconds.</summary>
    public int Seconds { get; init; } = 3;

    public static JwtBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new JwtBenchOptions();
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"option '{args[i]}' needs a value");
            options = args[i] switch
            {
                "--calls" => options with { Calls = Positive(args[i], value) },
                "--seconds" => options with { Seconds = Positive(args[i], value) },
                _ => throw new ArgumentException($"unknown option '{args[i]}': use --calls N, --seconds S"),
            };
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"option '{name}' must be a positive integer, not '{value}'");
}
