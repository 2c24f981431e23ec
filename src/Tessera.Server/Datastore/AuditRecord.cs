namespace Tessera.Server.Datastore;

/// <summary>
/// One audit-log record as stored. The chaining (what <see cref="Hash"/> covers) is computed by the audit
/// log; the store only guarantees gap-free sequences and that <see cref="PrevHash"/> equals the tail's hash.
/// </summary>
internal sealed record AuditRecord
{
    public required long Sequence { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required string Caller { get; init; }

    public required string Action { get; init; }

    public string Target { get; init; } = string.Empty;

    public required string Outcome { get; init; }

    public string Reason { get; init; } = string.Empty;

    public required string PrevHash { get; init; }

    public required string Hash { get; init; }
}
