using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Bundles;

/// <summary><c>tessera bundle show|list|set|delete</c>: this trust domain's bundle, and federated bundles of other trust domains.</summary>
internal static class BundleCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var format = new Option<string>("--format") { Description = "pem (default: the X.509 authorities, for openssl/nginx) or spiffe (the SPIFFE bundle JSON)", DefaultValueFactory = _ => "pem" };
        var trustDomain = new Option<string>("--trust-domain") { Description = "show a federated trust domain's bundle instead of this server's own" };
        var show = new Command("show", "Print this trust domain's current bundle (or a federated one).") { socket, format, trustDomain };
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
                var wanted = result.GetValue(trustDomain);
                Contracts.Admin.V1.Bundle? bundle;
                if (wanted is null)
                {
                    bundle = await client.GetBundleAsync(new GetBundleRequest(), deadline: AdminConnection.CallDeadline());
                }
                else
                {
                    var all = await client.ListFederatedBundlesAsync(new ListFederatedBundlesRequest(), deadline: AdminConnection.CallDeadline());
                    bundle = all.Bundles.FirstOrDefault(b => b.TrustDomain == wanted);
                    if (bundle is null)
                    {
                        Console.Error.WriteLine($"no federated bundle for '{wanted}'");
                        return ExitCodes.BadInput;
                    }
                }

                Console.Write(chosen == "pem" ? bundle.X509AuthoritiesPem : bundle.SpiffeBundleJson + "\n");
                return ExitCodes.Ok;
            });
        });
        return new Command("bundle", "Trust bundles: this trust domain's and federated ones.") { show, FederatedBundleCommands.CreateList(), FederatedBundleCommands.CreateSet(), FederatedBundleCommands.CreateDelete() };
    }
}
