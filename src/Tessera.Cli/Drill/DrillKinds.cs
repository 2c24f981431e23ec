namespace Tessera.Cli.Drill;

/// <summary>The revocation kinds the drill knows, in the order it runs them by default, and the parsing of <c>--kinds</c>.</summary>
internal static class DrillKinds
{
    /// <summary>Every kind; entry-delete last, since it takes the identity away (the drill recreates it when more follow).</summary>
    public static IReadOnlyList<IDrillRevocation> All { get; } =
    [
        new SvidSerialRevocation(),
        new SvidIdRevocation(),
        new JwtJtiRevocation(),
        new JwtIdRevocation(),
        new EntryDeleteRevocation(),
    ];

    /// <summary>Parses a comma-separated list of kind names; null with a problem added when a name is unknown or repeated.</summary>
    public static IReadOnlyList<IDrillRevocation>? Parse(string? text, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
        }

        var chosen = new List<IDrillRevocation>();
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var kind = All.FirstOrDefault(k => k.Name == name);
            if (kind is null)
            {
                problems.Add($"--kinds: unknown kind '{name}' (known: {string.Join(", ", All.Select(k => k.Name))})");
                return null;
            }

            if (chosen.Contains(kind))
            {
                problems.Add($"--kinds: '{name}' is given twice");
                return null;
            }

            chosen.Add(kind);
        }

        if (chosen.Count == 0)
        {
            problems.Add("--kinds: give at least one kind");
            return null;
        }

        // entry-delete runs last whatever the order given: it takes the identity away until the drill recreates it.
        return [.. chosen.OrderBy(k => k.RemovesEntry)];
    }
}
