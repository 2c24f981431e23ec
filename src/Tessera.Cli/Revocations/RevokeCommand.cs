using System.CommandLine;

namespace Tessera.Cli.Revocations;

/// <summary>
/// <c>tessera revoke svid|jwt|list</c>: revoke credentials now, over the admin socket. Revoked credentials stop
/// working at once (agents drop them, the CRL lists them) and stay revoked until their natural expiry.
/// </summary>
internal static class RevokeCommand
{
    public static Command Create() => new("revoke", "Revoke X509-SVIDs and JWT-SVIDs before they expire, and list what is revoked.")
    {
        RevokeSvidCommand.Create(),
        RevokeJwtCommand.Create(),
        RevokeListCommand.Create(),
    };
}
