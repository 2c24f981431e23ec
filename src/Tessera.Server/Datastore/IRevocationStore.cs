namespace Tessera.Server.Datastore;

/// <summary>Revoked credentials, kept until their natural expiry.</summary>
internal interface IRevocationStore
{
    /// <summary>Records revocations; one already recorded (same kind and value) is left as it was. Returns how many were new.</summary>
    Task<int> AddRevocationsAsync(IReadOnlyList<Revocation> revocations, CancellationToken cancellationToken);

    /// <summary>Lists the revocations that still matter at <paramref name="now"/> (expiry after it), ordered by revocation time then value.</summary>
    Task<IReadOnlyList<Revocation>> ListRevocationsAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes revocations whose credential expired at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> PruneRevocationsAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Lists the issued X509-SVIDs unexpired at <paramref name="now"/> of <paramref name="spiffeId"/> and/or issued to
    /// (through) the agent <paramref name="issuedTo"/>; a null filter matches everything.
    /// </summary>
    Task<IReadOnlyList<IssuedSvid>> ListCurrentIssuedSvidsAsync(Spiffe.Ids.SpiffeId? spiffeId, Spiffe.Ids.SpiffeId? issuedTo, DateTimeOffset now, CancellationToken cancellationToken);
}
