namespace Tessera.Server.Datastore;

/// <summary>The stable text of each <see cref="RevocationKind"/>, as stored and as sent on the wire.</summary>
internal static class RevocationKinds
{
    public const string X509 = "x509";
    public const string Jwt = "jwt";
    public const string JwtBefore = "jwt_before";
    public const string X509Authority = "x509_authority";

    public static string ToText(RevocationKind kind) => kind switch
    {
        RevocationKind.X509Serial => X509,
        RevocationKind.JwtId => Jwt,
        RevocationKind.JwtIssuedBefore => JwtBefore,
        RevocationKind.X509Authority => X509Authority,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown revocation kind"),
    };

    public static RevocationKind Parse(string text) => text switch
    {
        X509 => RevocationKind.X509Serial,
        Jwt => RevocationKind.JwtId,
        JwtBefore => RevocationKind.JwtIssuedBefore,
        X509Authority => RevocationKind.X509Authority,
        _ => throw new InvalidDataException($"revocations: unknown kind '{text}'"),
    };
}
