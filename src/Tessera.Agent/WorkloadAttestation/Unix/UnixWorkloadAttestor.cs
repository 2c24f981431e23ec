using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Tessera.Agent.WorkloadAttestation.Unix;

/// <summary>
/// The Unix workload attestor. From the kernel's pid/uid/gid of a caller it derives
/// <c>unix:uid</c>, <c>unix:gid</c>, <c>unix:user</c>, <c>unix:group</c>, <c>unix:supplementary_gid</c>,
/// <c>unix:path</c>, <c>unix:sha256</c>, <c>unix:cgroup</c> and <c>unix:container-id</c>.
/// </summary>
/// <remarks>
/// uid and gid come from SO_PEERCRED and are the kernel's word; everything else is read from /proc, where a pid
/// is only a number that a new process may take over once the caller exits. So after reading /proc the
/// attestor checks that the caller is still the process it read: through its pidfd when the kernel gave one
/// (a pidfd pins one process and polls readable once it exits), else by comparing the start time in
/// /proc/&lt;pid&gt;/stat before and after, and the real uid in /proc/&lt;pid&gt;/status against the kernel's.
/// What cannot be read (another user's process when the agent lacks privileges) is left out and logged:
/// fewer selectors can only make the caller match fewer entries.
/// </remarks>
internal sealed partial class UnixWorkloadAttestor(ExecutableHashCache hashes, UnixAccounts accounts, ILogger<UnixWorkloadAttestor> logger, string procRoot = "/proc") : IWorkloadAttestor
{
    /// <summary>The refusal when the caller is gone and its pid may already name another process.</summary>
    public const string ExitedDuringAttestation = "workload exited during attestation";

    /// <summary>The refusal when /proc shows another real uid than the kernel reported for the connection.</summary>
    public const string UidMismatch = "workload's uid in /proc differs from its kernel credentials";

    private const string DeletedSuffix = " (deleted)";

    public Task<AttestationResult> AttestAsync(WorkloadPeer peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Attest(peer));
    }

    private AttestationResult Attest(WorkloadPeer peer)
    {
        var (pid, uid, gid) = peer.Credentials;
        var problems = new List<string>();
        var selectors = new HashSet<string>(StringComparer.Ordinal) { Selector("uid", uid), Selector("gid", gid) };
        if (accounts.UserName(uid) is { } user)
        {
            selectors.Add("unix:user:" + user);
        }

        if (accounts.GroupName(gid) is { } group)
        {
            selectors.Add("unix:group:" + group);
        }

        var startBefore = peer.PidFd is null ? ProcStartTime.Read(procRoot, pid) : null;
        var procDir = Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture));
        var status = ReadStatus(procDir, selectors, problems);
        ReadExecutable(procDir, selectors, problems);
        ReadCgroup(procDir, selectors, problems);

        // The pid-reuse guard: only now, after every /proc read, do we know whether they described the caller.
        if (peer.PidFd is { } pidFd)
        {
            if (!PidFd.IsAlive(pidFd))
            {
                return Refuse(pid, ExitedDuringAttestation, problems);
            }
        }
        else
        {
            var startAfter = ProcStartTime.Read(procRoot, pid);
            if (startBefore is null || startAfter is null || startBefore != startAfter)
            {
                return Refuse(pid, ExitedDuringAttestation, problems);
            }

            if (status is not null && status.RealUid != uid)
            {
                return Refuse(pid, UidMismatch, problems);
            }
        }

        foreach (var problem in problems)
        {
            LogPartial(logger, pid, uid, problem);
        }

        return AttestationResult.Attested(selectors, problems);
    }

    private AttestationResult Refuse(int pid, string reason, List<string> problems)
    {
        LogRefused(logger, pid, reason);
        return AttestationResult.Refused(reason, problems);
    }

    private static ProcStatus? ReadStatus(string procDir, HashSet<string> selectors, List<string> problems)
    {
        ProcStatus? status = null;
        try
        {
            status = ProcStatus.Parse(File.ReadAllText(Path.Combine(procDir, "status")));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"cannot read {procDir}/status ({ex.GetType().Name}): no supplementary_gid selectors");
            return null;
        }

        foreach (var gid in status?.Groups ?? [])
        {
            selectors.Add(Selector("supplementary_gid", gid));
        }

        return status;
    }

    private void ReadExecutable(string procDir, HashSet<string> selectors, List<string> problems)
    {
        var exe = Path.Combine(procDir, "exe");
        try
        {
            var target = new FileInfo(exe).LinkTarget;
            if (target is null)
            {
                problems.Add($"{exe} is not a link: no path or sha256 selector");
                return;
            }

            // A replaced or deleted binary: its old path no longer names what runs, so no path selector; the hash
            // below still reads the running file itself through the exe link.
            if (target.EndsWith(DeletedSuffix, StringComparison.Ordinal))
            {
                problems.Add($"the executable was deleted or replaced since it started ({PeerText.Sanitize(target)}): no path selector");
            }
            else
            {
                selectors.Add("unix:path:" + target);
            }

            selectors.Add("unix:sha256:" + hashes.GetSha256(exe));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"cannot read {exe} ({ex.GetType().Name}): no path or sha256 selector");
        }
    }

    private static void ReadCgroup(string procDir, HashSet<string> selectors, List<string> problems)
    {
        try
        {
            var (unified, container) = ContainerCgroup.Parse(File.ReadAllText(Path.Combine(procDir, "cgroup")));
            if (!string.IsNullOrEmpty(unified))
            {
                selectors.Add("unix:cgroup:" + unified);
            }

            if (container is not null)
            {
                selectors.Add("unix:container-id:" + container);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"cannot read {procDir}/cgroup ({ex.GetType().Name}): no cgroup or container-id selector");
        }
    }

    private static string Selector(string type, int value) => $"unix:{type}:{value.ToString(CultureInfo.InvariantCulture)}";

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "workload attestation of pid {Pid} (uid {Uid}) is partial: {Problem}")]
    private static partial void LogPartial(ILogger logger, int pid, int uid, string problem);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "workload attestation refused pid {Pid}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int pid, string reason);
}
