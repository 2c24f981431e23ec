using System.Globalization;
using Google.Protobuf;
using WireAgent = Tessera.Contracts.Admin.V1.Agent;

namespace Tessera.Cli.Agents;

/// <summary>Prints attested agents as text (one block each) or JSON (protobuf's canonical JSON mapping).</summary>
internal static class AgentPrinter
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static void Print(IEnumerable<WireAgent> agents, string output)
    {
        if (output == "json")
        {
            Console.WriteLine("[" + string.Join(",", agents.Select(a => Json.Format(a))) + "]");
            return;
        }

        foreach (var a in agents)
        {
            Console.WriteLine($"SPIFFE ID        : {a.SpiffeId}");
            Console.WriteLine($"Attestation type : {a.AttestationType}");
            Console.WriteLine($"SVID serial      : {a.SvidSerial}");
            Console.WriteLine($"SVID expires at  : {DateTimeOffset.FromUnixTimeSeconds(a.SvidExpiresAtUnix).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}");
            Console.WriteLine($"Banned           : {(a.Banned ? "yes" : "no")}");
            Console.WriteLine();
        }
    }
}
