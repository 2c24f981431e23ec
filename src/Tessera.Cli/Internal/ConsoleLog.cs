using System.Globalization;

namespace Tessera.Cli.Internal;

/// <summary>
/// One-line, time-stamped log output of the long-running verbs (helper, proxy) on standard output, safe to call
/// from many connections at once. Peer-supplied text must be sanitized by the caller (<see cref="Sanitize"/>).
/// </summary>
internal static class ConsoleLog
{
    private static readonly Lock Gate = new();

    public static void Info(TimeProvider time, string message) => Write(Console.Out, time, message);

    public static void Error(TimeProvider time, string message) => Write(Console.Error, time, message);

    /// <summary>Replaces control characters so a peer cannot forge log lines (CWE-117).</summary>
    public static string Sanitize(string text) => string.Create(text.Length, text, static (span, s) =>
    {
        for (var i = 0; i < s.Length; i++)
        {
            span[i] = char.IsControl(s[i]) ? '?' : s[i];
        }
    });

    private static void Write(TextWriter writer, TimeProvider time, string message)
    {
        var line = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) + " " + message;
        lock (Gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
