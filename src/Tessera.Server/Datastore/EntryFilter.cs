using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore;

/// <summary>Filters for listing and counting entries; unset filters match everything, set ones are AND-ed.</summary>
internal sealed record EntryFilter
{
    public static readonly EntryFilter All = new();

    public SpiffeId? SpiffeId { get; init; }

    public SpiffeId? ParentId { get; init; }

    public IReadOnlyList<Selector>? Selectors { get; init; }

    public SelectorMatch SelectorMatch { get; init; } = SelectorMatch.Exact;

    public string? Owner { get; init; }
}
