namespace Tessera.Server.Audit;

/// <summary>An <see cref="AuditEvent"/> as stored: its gap-free sequence number and its place in the hash chain.</summary>
internal sealed record AuditRecord(long Sequence, AuditEvent Event, string PreviousHash, string Hash);
