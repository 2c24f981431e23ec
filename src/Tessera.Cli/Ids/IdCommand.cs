using System.CommandLine;
using Tessera.Cli.Internal;
using Tessera.Spiffe.Ids;

namespace Tessera.Cli.Ids;

/// <summary><c>tessera id parse ID</c>: checks a SPIFFE ID against every rule of the spec and prints its parts.</summary>
internal static class IdCommand
{
    public static Command Create()
    {
        var idArgument = new Argument<string>("id") { Description = "the SPIFFE ID to check, e.g. spiffe://example.org/payments/api" };
        var parse = new Command("parse", "Check a SPIFFE ID and print its trust domain and path segments.") { idArgument };
        parse.SetAction(result =>
        {
            var text = result.GetValue(idArgument)!;
            if (!SpiffeId.TryParse(text, out var id, out var error))
            {
                Console.Error.WriteLine($"invalid SPIFFE ID: {error}");
                return ExitCodes.BadInput;
            }

            Console.WriteLine($"spiffe id:    {id}");
            Console.WriteLine($"trust domain: {id.TrustDomain}");
            Console.WriteLine($"path:         {(id.HasPath ? id.Path : "(none: this ID names the trust domain)")}");
            Console.WriteLine($"segments:     {string.Join(", ", id.Segments)}");
            return ExitCodes.Ok;
        });

        return new Command("id", "Work with SPIFFE IDs.") { parse };
    }
}
