namespace Tessera.Server.Datastore;

/// <summary>The record of every issued SVID.</summary>
internal interface ISvidRecordStore
{
    /// <summary>Records an issued SVID.</summary>
    Task RecordIssuedSvidAsync(IssuedSvid svid, CancellationToken cancellationToken);

    /// <summary>Returns the record with this serial, or null.</summary>
    Task<IssuedSvid?> GetIssuedSvidAsync(string serial, CancellationToken cancellationToken);
}
