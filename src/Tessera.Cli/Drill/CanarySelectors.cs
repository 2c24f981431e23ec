using System.Globalization;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Drill;

/// <summary>
/// The selectors that match the drill process as the agent's unix workload attestor sees it: its uid and the path
/// of its executable (<c>/proc/self/exe</c>). Other processes of the same user running the same binary match too
/// while the drill runs — the <c>tessera proxy</c> it spawns must, and does.
/// </summary>
internal static class CanarySelectors
{
    public static IReadOnlyList<Selector> ForThisProcess()
    {
        var uid = File.ReadLines("/proc/self/status")
            .Where(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1])
            .FirstOrDefault() ?? throw new DrillFailure("cannot read this process's uid from /proc/self/status");
        var exe = new FileInfo("/proc/self/exe").LinkTarget ?? throw new DrillFailure("cannot read this process's executable from /proc/self/exe");
        return
        [
            new Selector { Type = "unix", Value = "uid:" + uint.Parse(uid, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) },
            new Selector { Type = "unix", Value = "path:" + exe },
        ];
    }
}
