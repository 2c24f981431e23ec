using System.Globalization;

namespace Tessera.Bench.Entries;

/// <summary>Command line of the <c>entries</c> scenario: <c>[--count N] [--batch N] [--calls N] [--postgres CONNSTR]</c>.</summary>
internal sealed record EntriesOptions
{
    public int Count { get; init; } = 100_000;

    public int BatchSize { get; init; } = 500;

    public int Calls { get; init; } = 200;

    public string? PostgresConnectionString { get; init; }

    public static EntriesOptions Parse(IReadOnlyList<string> args)
    {
        var options = new EntriesOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count
                ? args[i + 1]
                : throw new ArgumentException($"option '{args[i]}' needs a value");
            options = args[i] switch
            {
                "--count" => options with { Count = Positive(args[i], value) },
                "--batch" => options with { BatchSize = Positive(args[i], value) },
                "--calls" => options with { Calls = Positive(args[i], value) },
                "--postgres" => options with { PostgresConnectionString = value },
                _ => throw new ArgumentException(
                    $"unknown option '{args[i]}': use --count N, --batch N, --calls N, --postgres CONNSTR"),
            };
            i++;
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"option '{name}' must be a positive integer, not '{value}'");
}
