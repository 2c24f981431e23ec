using System.CommandLine;
using Tessera.Cli.Internal;

namespace Tessera.Cli.Drill;

/// <summary>
/// <c>tessera drill revocation</c>: revokes a canary identity each supported way and measures how long every
/// enforcement point takes to refuse it. Exit 0 when all refused within <c>--bound</c>, 1 when any did not, 2 on bad
/// input (flags, <c>--parent-id</c>, no agent), 3 when the deployment is unreachable or a precondition failed, 130
/// when cancelled (Ctrl-C, SIGTERM; the canary is still cleaned up).
/// </summary>
internal static class DrillRevocationCommand
{
    /// <summary>The exit code after Ctrl-C or SIGTERM, as shells report a process ended by SIGINT (128 + 2).</summary>
    public const int Cancelled = 130;

    public static Command Create()
    {
        var options = new DrillOptions();
        var command = new Command("revocation", "Create a canary identity, revoke it each supported way, and time how long every enforcement point takes to refuse it.");
        options.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var problems = new List<string>();
            var settings = options.Resolve(result, problems);
            if (settings is null)
            {
                problems.ForEach(Console.Error.WriteLine);
                return ExitCodes.BadInput;
            }

            // Progress goes to standard error, so --json leaves standard output to the document alone.
            var runner = new DrillRunner(settings, Console.Error, TimeProvider.System);
            try
            {
                var report = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
                Console.Write(settings.Json ? DrillJson.Render(report) + Environment.NewLine : DrillTable.Render(report));
                return report.ExitCode;
            }
            catch (DrillFailure ex)
            {
                Console.Error.WriteLine($"drill failed: {ex.Message}");
                return ex.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Console.Error.WriteLine("drill cancelled: the canary was cleaned up; nothing is reported");
                return Cancelled;
            }
        });
        return command;
    }
}
