using System.CommandLine;
using Tessera.Cli.Internal;
using Tessera.Hosting.Files;
using Tessera.Policy.Formatting;

namespace Tessera.Cli.Policy;

/// <summary>
/// <c>tessera policy format --policies F [--check | --write]</c>: prints the policies in canonical Cedar syntax
/// (<see cref="PolicyFormatter"/>); <c>--check</c> exits 1 when the file differs from that, <c>--write</c> rewrites
/// the file atomically. Comments are kept (<see cref="PolicyFormatter.Format(string)"/>), as the reference formatter
/// keeps them, so <c>--check</c> also fails on a comment out of place. Exits 2 on unusable input.
/// </summary>
internal static class PolicyFormatCommand
{
    public static Command Create()
    {
        var policiesOption = new Option<FileInfo>("--policies") { Description = "Cedar policy file", Required = true };
        var checkOption = new Option<bool>("--check") { Description = "print nothing formatted; exit 1 when the file is not formatted" };
        var writeOption = new Option<bool>("--write") { Description = "rewrite the file in place (atomically; comments are kept)" };
        var command = new Command(
            "format",
            "Print Cedar policies in canonical form: annotations, effect, one scope constraint per line, when/unless, minimal parentheses. "
            + "Comments are kept: on their own line before the line they preceded, or at the end of the line they ended; a when/unless holding a comment gets one operand per line.")
        {
            policiesOption, checkOption, writeOption,
        };
        command.SetAction(result =>
        {
            var file = result.GetValue(policiesOption)!;
            bool check = result.GetValue(checkOption), write = result.GetValue(writeOption);
            if (check && write)
            {
                Console.Error.WriteLine("--check and --write cannot be used together");
                return ExitCodes.BadInput;
            }

            if (!InputFiles.TryReadText(file, "--policies", Console.Error, out var text))
            {
                return ExitCodes.BadInput;
            }

            string formatted;
            try
            {
                formatted = PolicyFormatter.Format(text);
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"--policies: {file.Name}: {ex.Message}");
                return ExitCodes.BadInput;
            }

            var unchanged = string.Equals(text, formatted, StringComparison.Ordinal);
            if (check)
            {
                if (!unchanged)
                {
                    Console.Error.WriteLine($"{file.Name}: not formatted (run `tessera policy format --write --policies {file.Name}`)");
                }

                return unchanged ? ExitCodes.Ok : ExitCodes.Rejected;
            }

            if (!write)
            {
                Console.Out.Write(formatted);
                return ExitCodes.Ok;
            }

            if (!unchanged)
            {
                try
                {
                    AtomicFile.Replace(file.FullName, formatted);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"--policies: cannot write {file.FullName}: {ex.Message}");
                    return ExitCodes.BadInput;
                }
            }

            Console.WriteLine(unchanged ? $"{file.Name}: already formatted" : $"{file.Name}: formatted");
            return ExitCodes.Ok;
        });
        return command;
    }
}
