namespace Tessera.Contracts.Transport;

/// <summary>The process at the other end of a Unix socket, as the kernel reports it (SO_PEERCRED), not as it claims.</summary>
public readonly record struct PeerCredentials(int Pid, int Uid, int Gid)
{
    /// <summary>Describes the caller for audit records: uid, pid and the executable path when /proc still has it.</summary>
    public string Describe()
    {
        string? exe = null;
        try
        {
            exe = new FileInfo($"/proc/{Pid}/exe").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process may already be gone; uid and pid are still the kernel's word.
        }

        return exe is null ? $"uid:{Uid} pid:{Pid}" : $"uid:{Uid} pid:{Pid} exe:{exe}";
    }
}
