namespace Tessera.Cli.Drill;

/// <summary>
/// <c>entry-delete</c>: <c>tessera entry delete</c> on the canary client's entry. The agent drops the identity and the
/// Workload API stream stops serving it; certificates and tokens already issued are not revoked by this (they stay
/// valid until expiry), so only the Workload API is measured for this kind.
/// </summary>
internal sealed class EntryDeleteRevocation : IDrillRevocation
{
    public string Name => "entry-delete";

    public CredentialKind Credential => CredentialKind.Entry;

    public bool RemovesEntry => true;

    public async Task<string> RevokeAsync(DrillAdmin admin, CanaryCredentials credentials, CancellationToken cancellationToken)
    {
        await admin.DeleteEntryAsync(credentials.EntryId, cancellationToken);
        return $"entry {credentials.EntryId} ({credentials.ClientId})";
    }
}
