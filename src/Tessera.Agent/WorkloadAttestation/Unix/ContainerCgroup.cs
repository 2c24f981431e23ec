using System.Text.RegularExpressions;

namespace Tessera.Agent.WorkloadAttestation.Unix;

/// <summary>
/// Reads <c>/proc/&lt;pid&gt;/cgroup</c>: the unified (cgroup v2) path, and the container id when a path names a
/// container the way docker, containerd (cri-containerd), CRI-O and podman (libpod) lay them out, e.g.
/// <c>/docker/&lt;id&gt;</c>, <c>/system.slice/docker-&lt;id&gt;.scope</c>, <c>/kubepods/…/cri-containerd-&lt;id&gt;.scope</c>,
/// <c>/…/crio-&lt;id&gt;.scope</c>, <c>/…/libpod-&lt;id&gt;.scope</c>.
/// </summary>
internal static partial class ContainerCgroup
{
    /// <summary>Parses a cgroup file: the v2 path (null when there is none) and the container id (null when none).</summary>
    public static (string? UnifiedPath, string? ContainerId) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? unified = null;
        string? container = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // hierarchy-id:controllers:path — the path may itself contain ':'.
            var first = line.IndexOf(':', StringComparison.Ordinal);
            var second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (second < 0)
            {
                continue;
            }

            var path = line[(second + 1)..];
            if (line.AsSpan(0, second).SequenceEqual("0:"))
            {
                unified = path;
            }

            if (container is null && ContainerId().Match(path) is { Success: true } match)
            {
                container = match.Groups["id"].Value;
            }
        }

        return (unified, container);
    }

    [GeneratedRegex(@"(?:^|/)(?:docker-|cri-containerd-|crio-|libpod-)?(?<id>[0-9a-f]{64})(?:\.scope)?(?:/|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerId();
}
