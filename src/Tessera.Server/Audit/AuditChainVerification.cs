namespace Tessera.Server.Audit;

/// <summary>The result of checking the audit chain: intact, or the first record that breaks it and why.</summary>
internal sealed record AuditChainVerification(bool Intact, long RecordsChecked, long FirstBadSequence, string Problem)
{
    public static AuditChainVerification Ok(long checkedCount) => new(true, checkedCount, 0, string.Empty);
}
