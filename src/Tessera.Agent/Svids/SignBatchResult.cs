using Tessera.Agent.Cache;

namespace Tessera.Agent.Svids;

/// <summary>The outcome of one SignX509Svids batch: what was signed, which items failed and why, or why the whole call failed.</summary>
internal sealed record SignBatchResult
{
    public IReadOnlyList<CachedSvid> Signed { get; init; } = [];

    /// <summary>Per-entry failures (entry id → sanitised reason).</summary>
    public IReadOnlyDictionary<string, string> Failed { get; init; } = new Dictionary<string, string>();

    /// <summary>Why the call itself failed (server unreachable, deadline…), or null.</summary>
    public string? CallError { get; init; }

    /// <summary>The server refused the agent (PermissionDenied) rather than the items.</summary>
    public bool Refused { get; init; }
}
