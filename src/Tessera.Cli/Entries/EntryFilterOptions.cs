using System.CommandLine;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Entries;

/// <summary>Filters shared by <c>entry show</c> and <c>entry count</c>.</summary>
internal sealed class EntryFilterOptions
{
    public Option<string> SpiffeId { get; } = new("--spiffe-id") { Description = "only entries with this SPIFFE ID" };
    public Option<string> ParentId { get; } = new("--parent-id") { Description = "only entries with this parent ID" };
    public Option<string[]> Selectors { get; } = new("--selector") { Description = "type:value, repeatable", AllowMultipleArgumentsPerToken = true };
    public Option<string> Match { get; } = new("--match") { Description = "how --selector matches: exact (default), subset, superset, any", DefaultValueFactory = _ => "exact" };
    public Option<string> Owner { get; } = new("--owner") { Description = "only entries owned by this team or person" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { SpiffeId, ParentId, Selectors, Match, Owner })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Builds the filter, or prints every problem with the options and returns false.</summary>
    public bool TryBuild(ParseResult result, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EntryFilter? filter)
    {
        var problems = new List<string>();
        filter = Build(result, problems);
        problems.ForEach(Console.Error.WriteLine);
        return filter is not null;
    }

    private EntryFilter? Build(ParseResult result, List<string> problems)
    {
        var filter = new EntryFilter
        {
            SpiffeId = result.GetValue(SpiffeId) ?? string.Empty,
            ParentId = result.GetValue(ParentId) ?? string.Empty,
            Owner = result.GetValue(Owner) ?? string.Empty,
            SelectorMatch = result.GetValue(Match) switch
            {
                "exact" => SelectorMatch.Exact,
                "subset" => SelectorMatch.Subset,
                "superset" => SelectorMatch.Superset,
                "any" => SelectorMatch.Any,
                var other => Fail(problems, $"--match: '{other}' is not one of exact, subset, superset, any"),
            },
        };
        SelectorText.AddAll(result.GetValue(Selectors) ?? [], filter.Selectors, problems);

        return problems.Count == 0 ? filter : null;
    }

    private static SelectorMatch Fail(List<string> problems, string problem)
    {
        problems.Add(problem);
        return SelectorMatch.Unspecified;
    }
}
