namespace Tessera.Server.Audit;

/// <summary>
/// Where the server keeps its audit head outside the database. The hash chain alone cannot show that the newest
/// records were deleted, nor that someone with write access re-linked the whole chain (the chain hash has no
/// key); a head kept elsewhere can.
/// </summary>
internal interface IAuditHeadStore
{
    /// <summary>Returns the stored head, or null when none was written yet.</summary>
    /// <exception cref="InvalidDataException">The head file exists but is not a head.</exception>
    AuditHead? Read();

    /// <summary>Replaces the stored head atomically.</summary>
    Task WriteAsync(AuditHead head, CancellationToken cancellationToken);
}
