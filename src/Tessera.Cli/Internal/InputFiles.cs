using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Internal;

/// <summary>Reads the files an operator names, printing a clear error (and never a stack trace) when one is unusable.</summary>
internal static class InputFiles
{
    public static bool TryReadBytes(FileInfo file, string option, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        try
        {
            bytes = File.ReadAllBytes(file.FullName);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{option}: cannot read {file.FullName}: {ex.Message}");
            return false;
        }
    }

    public static bool TryReadCertificates(FileInfo file, string option, [NotNullWhen(true)] out IReadOnlyList<X509Certificate2>? certificates)
    {
        certificates = null;
        if (!TryReadBytes(file, option, out var bytes))
        {
            return false;
        }

        try
        {
            certificates = CertificateChain.Parse(bytes);
            return true;
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"{option}: {file.Name}: {ex.Message}");
            return false;
        }
    }
}
