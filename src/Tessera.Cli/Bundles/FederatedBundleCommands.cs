using System.CommandLine;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Bundles;

/// <summary><c>tessera bundle list|set|delete</c>: the federated bundles this server trusts.</summary>
internal static class FederatedBundleCommands
{
    public static Command CreateList()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var command = new Command("list", "List federated bundles.") { socket, output };
        command.SetAction((result, _) => AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
        {
            var response = await client.ListFederatedBundlesAsync(new ListFederatedBundlesRequest(), deadline: AdminConnection.CallDeadline());
            if (result.GetValue(output) == "json")
            {
                Console.WriteLine("{" + string.Join(",", response.Bundles.Select(b => $"\"{b.TrustDomain}\":{b.SpiffeBundleJson}")) + "}");
                return ExitCodes.Ok;
            }

            foreach (var bundle in response.Bundles)
            {
                var authorities = bundle.X509AuthoritiesPem.Split("-----BEGIN CERTIFICATE-----").Length - 1;
                Console.WriteLine($"{bundle.TrustDomain}  sequence {bundle.Sequence}  {authorities} X.509 authorities");
            }

            Console.WriteLine($"Found {response.Bundles.Count} federated bundle{(response.Bundles.Count == 1 ? string.Empty : "s")}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command CreateSet()
    {
        var socket = AdminConnection.CreateSocketOption();
        var trustDomain = new Option<string>("--trust-domain") { Description = "the federated trust domain", Required = true };
        var path = new Option<FileInfo>("--path") { Description = "its SPIFFE bundle (JSON)", Required = true };
        var command = new Command("set", "Create or replace a federated trust domain's bundle.") { socket, trustDomain, path };
        command.SetAction((result, _) =>
        {
            if (!InputFiles.TryReadBytes(result.GetValue(path)!, "--path", Console.Error, out var bytes))
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            return AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
            {
                var request = new SetFederatedBundleRequest { TrustDomain = result.GetValue(trustDomain)!, SpiffeBundleJson = System.Text.Encoding.UTF8.GetString(bytes) };
                var bundle = await client.SetFederatedBundleAsync(request, deadline: AdminConnection.CallDeadline());
                Console.WriteLine($"bundle for {bundle.TrustDomain} set (sequence {bundle.Sequence})");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    public static Command CreateDelete()
    {
        var socket = AdminConnection.CreateSocketOption();
        var trustDomain = new Option<string>("--trust-domain") { Description = "the federated trust domain", Required = true };
        var command = new Command("delete", "Stop trusting a federated trust domain.") { socket, trustDomain };
        command.SetAction((result, _) => AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
        {
            await client.DeleteFederatedBundleAsync(new DeleteFederatedBundleRequest { TrustDomain = result.GetValue(trustDomain)! }, deadline: AdminConnection.CallDeadline());
            Console.WriteLine($"bundle for {result.GetValue(trustDomain)} deleted");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
