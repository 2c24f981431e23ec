namespace Tessera.Server.Audit;

/// <summary>Reads stored audit records, oldest first.</summary>
internal interface IAuditReader
{
    /// <summary>Streams records with a sequence greater than <paramref name="afterSequence"/>, oldest first.</summary>
    IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence, CancellationToken cancellationToken);
}
