using System.Globalization;
using Google.Protobuf;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Revocations;

/// <summary>Prints revocations as text (one line each) or JSON (protobuf's canonical JSON mapping).</summary>
internal static class RevocationPrinter
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static void Print(IReadOnlyCollection<Revocation> revocations, string output)
    {
        if (output == "json")
        {
            Console.WriteLine("[" + string.Join(",", revocations.Select(r => Json.Format(r))) + "]");
            return;
        }

        foreach (var r in revocations)
        {
            var id = r.SpiffeId.Length > 0 && r.Kind != "jwt_before" ? $" ({r.SpiffeId})" : string.Empty;
            Console.WriteLine($"{Describe(r)}{id}: revoked {Time(DateTimeOffset.FromUnixTimeMilliseconds(r.RevokedAtUnixMs))} by {r.RevokedBy}; until {Time(DateTimeOffset.FromUnixTimeSeconds(r.ExpiresAtUnix))}; reason: {r.Reason}");
        }
    }

    public static string Describe(Revocation r) => r.Kind switch
    {
        "x509" => $"X509-SVID serial {r.Value}",
        "jwt" => $"JWT-SVID jti {r.Value}",
        "jwt_before" => $"JWT-SVIDs of {r.Value} issued before {Time(DateTimeOffset.FromUnixTimeMilliseconds(r.RevokedAtUnixMs))}",
        "x509_authority" => $"every chain through the X.509 CA key {r.Value}",
        _ => $"{r.Kind} {r.Value}",
    };

    private static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
