using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Internal;

/// <summary>
/// Reads (and parses) the files an operator names. A file that cannot be read or parsed writes one line naming the
/// option, the file and what is wrong to <c>error</c> (never a stack trace), and the caller exits 2.
/// </summary>
internal static class InputFiles
{
    public static bool TryReadBytes(FileInfo file, string option, TextWriter error, [NotNullWhen(true)] out byte[]? bytes) =>
        TryRead(file, option, File.ReadAllBytes, error, out bytes);

    public static bool TryReadText(FileInfo file, string option, TextWriter error, [NotNullWhen(true)] out string? text) =>
        TryRead(file, option, File.ReadAllText, error, out text);

    public static bool TryReadCertificates(FileInfo file, string option, TextWriter error, [NotNullWhen(true)] out IReadOnlyList<X509Certificate2>? certificates) =>
        TryParseBytes(file, option, bytes => CertificateChain.Parse(bytes), error, out certificates);

    /// <summary>Reads the file's bytes and parses them; a <see cref="FormatException"/> from <paramref name="parse"/> is the message.</summary>
    public static bool TryParseBytes<T>(FileInfo file, string option, Func<byte[], T> parse, TextWriter error, [NotNullWhen(true)] out T? value)
        where T : class =>
        TryParse(file, option, File.ReadAllBytes, parse, error, out value);

    /// <summary>Reads the file's text and parses it; a <see cref="FormatException"/> from <paramref name="parse"/> is the message.</summary>
    public static bool TryParseText<T>(FileInfo file, string option, Func<string, T> parse, TextWriter error, [NotNullWhen(true)] out T? value)
        where T : class =>
        TryParse(file, option, File.ReadAllText, parse, error, out value);

    private static bool TryRead<T>(FileInfo file, string option, Func<string, T> read, TextWriter error, [NotNullWhen(true)] out T? contents)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(error);
        contents = null;
        try
        {
            contents = read(file.FullName);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{option}: cannot read {file.FullName}: {ex.Message}");
            return false;
        }
    }

    private static bool TryParse<TContents, T>(FileInfo file, string option, Func<string, TContents> read, Func<TContents, T> parse, TextWriter error, [NotNullWhen(true)] out T? value)
        where TContents : class
        where T : class
    {
        value = null;
        if (!TryRead(file, option, read, error, out var contents))
        {
            return false;
        }

        try
        {
            value = parse(contents);
            return true;
        }
        catch (FormatException ex)
        {
            error.WriteLine($"{option}: {file.Name}: {ex.Message}");
            return false;
        }
    }
}
