using System.Globalization;

namespace Tessera.Agent.WorkloadAttestation.Unix;

/// <summary>Reads a process's start time (field 22 of <c>/proc/&lt;pid&gt;/stat</c>, in clock ticks since boot).</summary>
internal static class ProcStartTime
{
    /// <summary>Returns the start time, or null when the process is gone or the file is malformed.</summary>
    public static ulong? Read(string procRoot, int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(text);
    }

    /// <summary>Parses a stat line; the command name (field 2) may hold spaces and parentheses, so fields are counted after the last ')'.</summary>
    public static ulong? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After ") " come fields 3 onwards; the start time is field 22, so index 19 here.
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : null;
    }
}
