using System.Globalization;

namespace Tessera.Agent.WorkloadAttestation.Unix;

/// <summary>
/// Looks up user and group names in <c>/etc/passwd</c> and <c>/etc/group</c> (local accounts only: a name from
/// a directory service cannot be trusted to be stable, and an unknown id simply yields no name selector).
/// </summary>
internal sealed class UnixAccounts(string passwdPath = "/etc/passwd", string groupPath = "/etc/group")
{
    /// <summary>Returns the name of <paramref name="uid"/>, or null when absent or unreadable.</summary>
    public string? UserName(int uid) => Find(passwdPath, uid);

    /// <summary>Returns the name of <paramref name="gid"/>, or null when absent or unreadable.</summary>
    public string? GroupName(int gid) => Find(groupPath, gid);

    private static string? Find(string path, int id)
    {
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadLines(path);
            foreach (var line in lines)
            {
                // name:password:id:... — the same shape in both files.
                var fields = line.Split(':');
                if (fields.Length >= 3 && fields[0].Length > 0
                    && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value == id)
                {
                    return fields[0];
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }
}
