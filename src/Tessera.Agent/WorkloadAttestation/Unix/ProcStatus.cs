using System.Globalization;

namespace Tessera.Agent.WorkloadAttestation.Unix;

/// <summary>The fields of <c>/proc/&lt;pid&gt;/status</c> attestation uses: real uid and supplementary groups (proc(5)).</summary>
internal sealed record ProcStatus(int RealUid, IReadOnlyList<int> Groups)
{
    /// <summary>Parses the text of a status file; null when the Uid line is missing or malformed.</summary>
    public static ProcStatus? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int? uid = null;
        var groups = new List<int>();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                // "Uid: real effective saved filesystem"
                var fields = line[4..].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 0 && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var real))
                {
                    uid = real;
                }
            }
            else if (line.StartsWith("Groups:", StringComparison.Ordinal))
            {
                foreach (var field in line[7..].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries))
                {
                    if (int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
                    {
                        groups.Add(gid);
                    }
                }
            }
        }

        return uid is { } u ? new ProcStatus(u, groups) : null;
    }
}
