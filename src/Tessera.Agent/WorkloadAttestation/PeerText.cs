using System.Text;

namespace Tessera.Agent.WorkloadAttestation;

/// <summary>
/// Makes strings a caller controls (its executable path, its cgroup path) safe to log: control characters
/// become '?', so a crafted file name cannot forge log lines, and long values are cut.
/// </summary>
internal static class PeerText
{
    private const int MaxLength = 256;

    public static string Sanitize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(value.Length, MaxLength + 1));
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, MaxLength)))
        {
            builder.Append(char.IsControl(c) || char.IsSurrogate(c) ? '?' : c);
        }

        if (value.Length > MaxLength)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }
}
