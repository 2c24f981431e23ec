using Google.Protobuf;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Ca;

/// <summary>Prints what a CA change did, as text or JSON.</summary>
internal static class CaChangePrinter
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static void Print(CaChangeResponse response, string output)
    {
        if (output == "json")
        {
            Console.WriteLine(Json.Format(response));
            return;
        }

        foreach (var id in response.Activated)
        {
            Console.WriteLine($"activated {id}");
        }

        foreach (var id in response.Tainted)
        {
            Console.WriteLine($"tainted {id}: signs nothing more; SVIDs it signed are re-issued, then it leaves the bundle");
        }

        foreach (var id in response.Removed)
        {
            Console.WriteLine($"removed {id} from the bundle");
        }

        Console.WriteLine($"bundle sequence {response.BundleSequence}");
    }
}
