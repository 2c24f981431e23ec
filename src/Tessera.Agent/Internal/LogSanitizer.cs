using System.Text;

namespace Tessera.Agent.Internal;

/// <summary>Makes strings that came from a peer safe to log: control characters escaped, length bounded.</summary>
internal static class LogSanitizer
{
    public const int MaxLength = 200;

    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxLength + 3));
        foreach (var c in text)
        {
            if (builder.Length >= MaxLength)
            {
                builder.Append("...");
                break;
            }

            // Escapes newlines and other control characters so a peer cannot forge log lines.
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }
}
