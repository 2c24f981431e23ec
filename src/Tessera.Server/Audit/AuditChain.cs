using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Tessera.Server.Audit;

/// <summary>
/// The hash chain that makes the audit log tamper-evident: each record's hash covers its sequence number,
/// every field and the previous record's hash, so editing a record changes its hash and deleting or
/// reordering one breaks the link of the next.
/// </summary>
internal static class AuditChain
{
    /// <summary>The previous-hash of the first record: empty (the datastore's convention).</summary>
    public static readonly string GenesisHash = string.Empty;

    /// <summary>Links <paramref name="auditEvent"/> after a record with <paramref name="previousHash"/> at <paramref name="sequence"/>.</summary>
    public static AuditRecord Link(long sequence, AuditEvent auditEvent, string previousHash) =>
        new(sequence, auditEvent, previousHash, ComputeHash(sequence, auditEvent, previousHash));

    /// <summary>
    /// Links <paramref name="auditEvents"/>, in order, after <paramref name="tail"/> (null: the log is empty). Each
    /// event's time is truncated to the milliseconds the hash covers, so a stored record re-verifies.
    /// </summary>
    public static AuditRecord[] LinkAfter(AuditRecord? tail, IReadOnlyList<AuditEvent> auditEvents)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        var records = new AuditRecord[auditEvents.Count];
        var sequence = tail?.Sequence ?? 0;
        var previous = tail?.Hash ?? GenesisHash;
        for (var i = 0; i < records.Length; i++)
        {
            var auditEvent = auditEvents[i] with { Time = DateTimeOffset.FromUnixTimeMilliseconds(auditEvents[i].Time.ToUnixTimeMilliseconds()) };
            records[i] = Link(++sequence, auditEvent, previous);
            previous = records[i].Hash;
        }

        return records;
    }

    /// <summary>
    /// SHA-256 over an unambiguous encoding: every field is length-prefixed, so no choice of field contents
    /// can make two different records encode to the same bytes.
    /// </summary>
    public static string ComputeHash(long sequence, AuditEvent auditEvent, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, sequence);
        hash.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, auditEvent.Time.ToUnixTimeMilliseconds());
        hash.AppendData(number);
        foreach (var field in (ReadOnlySpan<string>)[auditEvent.Caller, auditEvent.Action, auditEvent.Target, auditEvent.Outcome, auditEvent.Reason, previousHash])
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt64BigEndian(number, bytes.Length);
            hash.AppendData(number);
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
