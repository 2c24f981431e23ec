using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Tessera.Agent.WorkloadAttestation.Unix;

/// <summary>
/// SHA-256 of executables, read through <c>/proc/&lt;pid&gt;/exe</c> (the very file the process runs, even when
/// its path was replaced or deleted) and cached by the file's identity: device, inode, size, mtime and ctime.
/// ctime is in the key because mtime can be set back by anyone who can write the file (touch -d); ctime cannot,
/// so an in-place rewrite always misses the cache. Concurrent callers for one file share a single hash.
/// </summary>
internal sealed class ExecutableHashCache
{
    private const int MaxEntries = 4096;
    private readonly ConcurrentDictionary<FileKey, Lazy<string>> _hashes = new();

    /// <summary>Returns the lower-case hex SHA-256 of the file at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The agent may not read it (another user's process without privileges).</exception>
    public string GetSha256(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var key = Identify(handle);
        if (_hashes.Count >= MaxEntries)
        {
            // Bounded: executables are few; a flood of distinct files only costs re-hashing, never memory.
            _hashes.Clear();
        }

        var lazy = _hashes.GetOrAdd(key, _ => new Lazy<string>(() => Hash(handle), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A failed read must not poison the cache for the next caller.
            _hashes.TryRemove(new KeyValuePair<FileKey, Lazy<string>>(key, lazy));
            throw;
        }
    }

    private static string Hash(SafeFileHandle handle)
    {
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        stream.Seek(0, SeekOrigin.Begin);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static FileKey Identify(SafeFileHandle handle)
    {
        Span<byte> statx = stackalloc byte[UnixNative.StatxSize];
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (UnixNative.Statx((int)handle.DangerousGetHandle(), string.Empty, UnixNative.AtEmptyPath, UnixNative.StatxBasicStats, statx) != 0)
            {
                throw new IOException($"statx failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        // struct statx offsets (include/uapi/linux/stat.h): ino 32, size 40, ctime 96, mtime 112, dev_major 136, dev_minor 140.
        return new FileKey(
            ((ulong)MemoryMarshal.Read<uint>(statx[136..]) << 32) | MemoryMarshal.Read<uint>(statx[140..]),
            MemoryMarshal.Read<ulong>(statx[32..]),
            MemoryMarshal.Read<ulong>(statx[40..]),
            MemoryMarshal.Read<long>(statx[112..]),
            MemoryMarshal.Read<uint>(statx[120..]),
            MemoryMarshal.Read<long>(statx[96..]),
            MemoryMarshal.Read<uint>(statx[104..]));
    }

    private readonly record struct FileKey(ulong Device, ulong Inode, ulong Size, long MtimeSeconds, uint MtimeNanos, long CtimeSeconds, uint CtimeNanos);
}
