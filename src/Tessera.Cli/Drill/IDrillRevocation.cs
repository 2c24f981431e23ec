namespace Tessera.Cli.Drill;

/// <summary>
/// One way of revoking the canary that the drill rehearses. This is the extension point for new kinds (a <c>ca</c>
/// kind for <c>tessera ca rotate --now/taint</c> would be one more implementation listed in <see cref="DrillKinds"/>).
/// </summary>
internal interface IDrillRevocation
{
    /// <summary>Gets the name used with <c>--kinds</c> and in the table, e.g. <c>svid-serial</c>.</summary>
    string Name { get; }

    /// <summary>Gets what the revocation takes away; it decides which enforcement points are measured.</summary>
    CredentialKind Credential { get; }

    /// <summary>Gets whether the revocation removes the canary client's entry (the drill recreates it for the next kind).</summary>
    bool RemovesEntry { get; }

    /// <summary>Revokes <paramref name="credentials"/> through the server's admin API; returns a short description of what was revoked.</summary>
    Task<string> RevokeAsync(DrillAdmin admin, CanaryCredentials credentials, CancellationToken cancellationToken);
}
