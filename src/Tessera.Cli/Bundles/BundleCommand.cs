using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Bundles;

/// <summary><c>tessera bundle show [--format pem|spiffe]</c>: this trust domain's bundle from the server.</summary>
internal static class BundleCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var format = new Option<string>("--format") { Description = "pem (default: the X.509 authorities, for openssl/nginx) or spiffe (the SPIFFE bundle JSON)", DefaultValueFactory = _ => "pem" };
        var show = new Command("show", "Print this trust domain's current bundle.") { socket, format };
        show.SetAction((result, _) =>
        {
            var chosen = result.GetValue(format);
            if (chosen is not ("pem" or "spiffe"))
            {
                Console.Error.WriteLine($"--format: '{chosen}' is not one of pem, spiffe");
                return Task.FromResult(ExitCodes.BadInput);
            }

            return AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
            {
                var bundle = await client.GetBundleAsync(new GetBundleRequest(), deadline: AdminConnection.CallDeadline());
                Console.Write(chosen == "pem" ? bundle.X509AuthoritiesPem : bundle.SpiffeBundleJson + "\n");
                return ExitCodes.Ok;
            });
        });
        return new Command("bundle", "Trust bundles.") { show };
    }
}
