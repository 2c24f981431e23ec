namespace Tessera.Server.Audit;

/// <summary>The newest audit record this server has written: its sequence and hash.</summary>
internal sealed record AuditHead(long Sequence, string Hash);
