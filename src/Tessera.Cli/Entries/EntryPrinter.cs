using System.Globalization;
using Google.Protobuf;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Entries;

/// <summary>Prints entries as text (one block each) or JSON (protobuf's canonical JSON mapping).</summary>
internal static class EntryPrinter
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static void Print(IEnumerable<Entry> entries, string output)
    {
        if (output == "json")
        {
            Console.WriteLine("[" + string.Join(",", entries.Select(e => Json.Format(e))) + "]");
            return;
        }

        foreach (var e in entries)
        {
            Console.WriteLine($"Entry ID      : {e.Id}");
            Console.WriteLine($"SPIFFE ID     : {e.SpiffeId}");
            Console.WriteLine($"Parent ID     : {e.ParentId}");
            foreach (var s in e.Selectors)
            {
                Console.WriteLine($"Selector      : {s.Type}:{s.Value}");
            }

            Console.WriteLine($"Owner         : {e.Owner}");
            if (e.Purpose.Length > 0)
            {
                Console.WriteLine($"Purpose       : {e.Purpose}");
            }

            Console.WriteLine($"X509-SVID TTL : {(e.X509SvidTtlSeconds == 0 ? "default" : e.X509SvidTtlSeconds + "s")}");
            Console.WriteLine($"JWT-SVID TTL  : {(e.JwtSvidTtlSeconds == 0 ? "default" : e.JwtSvidTtlSeconds + "s")}");
            foreach (var dns in e.DnsNames)
            {
                Console.WriteLine($"DNS name      : {dns}");
            }

            foreach (var trustDomain in e.FederatesWith)
            {
                Console.WriteLine($"Federates with: {trustDomain}");
            }

            if (e.Admin)
            {
                Console.WriteLine("Admin         : true");
            }

            if (e.ExpiresAtUnix != 0)
            {
                Console.WriteLine($"Expires at    : {DateTimeOffset.FromUnixTimeSeconds(e.ExpiresAtUnix).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}");
            }

            Console.WriteLine($"Revision      : {e.Revision}");
            Console.WriteLine();
        }
    }
}
