using System.CommandLine;
using Tessera.Cli.Agents;
using Tessera.Cli.Internal;
using Tessera.Spiffe.Ids;

namespace Tessera.Cli.Helper;

/// <summary>
/// <c>tessera helper run --write DIR [--cmd "..." | --signal NAME --pid-file F] [--jwt-audience AUD --jwt-file F]
/// [--spiffe-id ID] [--socket ADDR] [--timeout 30s]</c>: keeps certificate, key, bundle and token files of a
/// program that cannot speak the Workload API up to date, and tells it to reload them.
/// </summary>
internal static class HelperRunCommand
{
    public static Command Create()
    {
        var connection = new WorkloadApiConnection();
        var write = new Option<string>("--write") { Description = "write svid.pem (leaf + intermediates), svid.key (0600), bundle.pem and federated_bundle_<td>.pem here on every rotation" };
        var cmd = new Option<string>("--cmd") { Description = "reload command, run with /bin/sh -c after every write (including the first)" };
        var signal = new Option<string>("--signal") { Description = "signal (HUP, USR1, …) sent after every write to the pid in --pid-file" };
        var pidFile = new Option<string>("--pid-file") { Description = "file holding the pid of the program to signal (may appear after the first write)" };
        var jwtAudience = new Option<string>("--jwt-audience") { Description = "also keep a JWT-SVID for this audience in --jwt-file, refreshed at half its lifetime" };
        var jwtFile = new Option<string>("--jwt-file") { Description = "the JWT-SVID token file (0600)" };
        var spiffeId = new Option<string>("--spiffe-id") { Description = "use this identity when the process holds several (default: the first the agent sends)" };
        var command = new Command("run", "Write this process's SVID, key and bundles to files on every rotation and reload the program that reads them.")
        {
            write, cmd, signal, pidFile, jwtAudience, jwtFile, spiffeId,
        };
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var problems = new List<string>();
            var signalText = result.GetValue(signal);
            (string, int)? parsedSignal = null;
            if (result.GetValue(cmd) is not null && signalText is not null)
            {
                problems.Add("--cmd and --signal cannot be used together: give one way to reload the program");
            }

            if (signalText is not null)
            {
                if (SignalNames.TryParse(signalText, out var name, out var number))
                {
                    parsedSignal = (name, number);
                }
                else
                {
                    problems.Add($"--signal: unknown signal '{signalText}' (known: {SignalNames.Known})");
                }

                if (result.GetValue(pidFile) is null)
                {
                    problems.Add("--signal needs --pid-file: the file holding the pid of the program to signal");
                }
            }
            else if (result.GetValue(pidFile) is not null)
            {
                problems.Add("--pid-file needs --signal: the signal to send to that pid");
            }

            if ((result.GetValue(jwtAudience) is null) != (result.GetValue(jwtFile) is null))
            {
                problems.Add("--jwt-audience and --jwt-file go together: the audience of the token and the file to write it to");
            }

            if (result.GetValue(write) is null && result.GetValue(jwtFile) is null)
            {
                problems.Add("nothing to write: give --write DIR, --jwt-audience AUD --jwt-file F, or both");
            }

            SpiffeId? id = null;
            if (result.GetValue(spiffeId) is { } idText)
            {
                if (SpiffeId.TryParse(idText, out var parsed))
                {
                    id = parsed;
                }
                else
                {
                    problems.Add($"--spiffe-id: '{idText}' is not a SPIFFE ID (spiffe://trust-domain/path)");
                }
            }

            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    Console.Error.WriteLine(problem);
                }

                return Task.FromResult(ExitCodes.BadInput);
            }

            if (!connection.TryResolve(result, out var socket, out var timeout))
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            var settings = new HelperSettings
            {
                WriteDirectory = result.GetValue(write) is { } dir ? Path.GetFullPath(dir) : null,
                Command = result.GetValue(cmd),
                Signal = parsedSignal,
                PidFile = result.GetValue(pidFile) is { } pid ? Path.GetFullPath(pid) : null,
                JwtAudience = result.GetValue(jwtAudience),
                JwtFile = result.GetValue(jwtFile) is { } file ? Path.GetFullPath(file) : null,
                SpiffeId = id,
                SocketPath = socket,
                Timeout = timeout,
            };
            return new HelperRunner(settings, TimeProvider.System).RunAsync(cancellationToken);
        });
        return command;
    }
}
