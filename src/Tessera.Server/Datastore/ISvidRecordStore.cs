namespace Tessera.Server.Datastore;

/// <summary>The record of every issued SVID.</summary>
internal interface ISvidRecordStore
{
    /// <summary>Records an issued SVID.</summary>
    Task RecordIssuedSvidAsync(IssuedSvid svid, CancellationToken cancellationToken);

    /// <summary>Records many issued SVIDs in one transaction (a 1,000-SVID batch costs one commit, not 1,000).</summary>
    Task RecordIssuedSvidsAsync(IReadOnlyList<IssuedSvid> svids, CancellationToken cancellationToken);

    /// <summary>Returns the record with this serial, or null.</summary>
    Task<IssuedSvid?> GetIssuedSvidAsync(string serial, CancellationToken cancellationToken);

    /// <summary>
    /// Counts the SVIDs signed by the CA with subject key identifier <paramref name="authority"/> that still await
    /// re-issuance: unexpired at <paramref name="now"/>, and their holder (SPIFFE ID, issuing agent) has had no SVID
    /// from another CA since <paramref name="taintedAt"/>.
    /// </summary>
    Task<int> CountPendingReissueAsync(string authority, DateTimeOffset taintedAt, DateTimeOffset now, CancellationToken cancellationToken);
}
