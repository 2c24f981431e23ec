using System.CommandLine;
using System.Globalization;
using Tessera.Cli.Admin;
using Tessera.Cli.Internal;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Revocations;

/// <summary>
/// <c>tessera revoke jwt --jti J [--expires-at T] | --spiffe-id ID --reason R</c>: revokes one JWT-SVID by its
/// <c>jti</c>, or every JWT-SVID of an identity issued before now. <c>--expires-at</c> (the token's <c>exp</c>, Unix
/// seconds or ISO 8601) lets the record leave the deny list when the token would have expired.
/// </summary>
internal static class RevokeJwtCommand
{
    public static Command Create()
    {
        var socket = AdminConnection.CreateSocketOption();
        var output = AdminConnection.CreateOutputOption();
        var jti = new Option<string>("--jti") { Description = "the token's jti claim" };
        var expiresAt = new Option<string>("--expires-at") { Description = "with --jti: the token's exp (Unix seconds or ISO 8601); default: the longest any token can live" };
        var spiffeId = new Option<string>("--spiffe-id") { Description = "revoke every JWT-SVID of this identity issued before now" };
        var reason = ReasonOption.ForRevocation();
        var command = new Command("jwt", "Revoke JWT-SVIDs by jti or by identity.") { socket, output, jti, expiresAt, spiffeId, reason.Option };
        command.SetAction((result, _) =>
        {
            var why = reason.Get(result, Console.Error);
            var byJti = result.GetValue(jti);
            var byId = result.GetValue(spiffeId);
            if (why is null)
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            if (string.IsNullOrEmpty(byJti) == string.IsNullOrEmpty(byId))
            {
                Console.Error.WriteLine("give exactly one of --jti and --spiffe-id");
                return Task.FromResult(ExitCodes.BadInput);
            }

            long expires = 0;
            if (result.GetValue(expiresAt) is { Length: > 0 } text && !TryParseTime(text, out expires))
            {
                Console.Error.WriteLine($"--expires-at: '{text}' is neither Unix seconds nor an ISO 8601 time");
                return Task.FromResult(ExitCodes.BadInput);
            }

            return AdminConnection.RunAsync(result.GetValue(socket)!, async client =>
            {
                var request = new RevokeJwtSvidsRequest { Jti = byJti ?? string.Empty, SpiffeId = byId ?? string.Empty, ExpiresAtUnix = expires, Reason = why };
                var response = await client.RevokeJwtSvidsAsync(request, deadline: AdminConnection.CallDeadline());
                RevokeSvidCommand.Report(response, result.GetValue(output)!, "JWT-SVID");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static bool TryParseTime(string text, out long unixSeconds)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out unixSeconds))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            unixSeconds = time.ToUnixTimeSeconds();
            return true;
        }

        return false;
    }
}
