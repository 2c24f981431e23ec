using System.Diagnostics.CodeAnalysis;

namespace Tessera.Spiffe.WorkloadApi;

/// <summary>
/// Parses a Workload API address as <c>SPIFFE_ENDPOINT_SOCKET</c> carries it (SPIFFE Workload Endpoint §4):
/// <c>unix:///abs/path</c> or <c>unix:/abs/path</c>; a bare absolute path is accepted too, for <c>--socket</c>.
/// Tessera's clients speak to the Workload API on a Unix socket only, so <c>tcp:</c> and relative paths are errors.
/// </summary>
public static class WorkloadApiAddress
{
    /// <summary>The environment variable SPIFFE clients read the Workload API address from.</summary>
    public const string EnvironmentVariable = "SPIFFE_ENDPOINT_SOCKET";

    /// <summary>Returns the socket path, or false with an error naming what is wrong and what would be right.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out string? socketPath, [NotNullWhen(false)] out string? error)
    {
        socketPath = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "the Workload API address is empty; expected unix:///absolute/path/to/api.sock";
            return false;
        }

        string path;
        if (value.StartsWith("unix://", StringComparison.Ordinal))
        {
            // unix://host/path has an authority, which a Unix socket URI must not have (Workload Endpoint §4).
            path = value["unix://".Length..];
            if (!path.StartsWith('/'))
            {
                error = $"'{value}' names a host; a Unix socket address has none: use unix:///absolute/path";
                return false;
            }
        }
        else if (value.StartsWith("unix:", StringComparison.Ordinal))
        {
            path = value["unix:".Length..];
        }
        else if (value.StartsWith('/'))
        {
            path = value;
        }
        else
        {
            var scheme = value.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? value[..colon] : null;
            error = scheme is null
                ? $"'{value}' is a relative path; give an absolute one, e.g. unix:///run/tessera/api.sock"
                : $"'{scheme}:' addresses are not supported; the Workload API listens on a Unix socket: unix:///absolute/path";
            return false;
        }

        if (!path.StartsWith('/') || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
        {
            error = $"'{value}' is not an absolute socket path (no query, fragment or NUL allowed): use unix:///absolute/path";
            return false;
        }

        socketPath = path;
        error = null;
        return true;
    }

    /// <summary>Returns the socket path of <paramref name="value"/>.</summary>
    /// <exception cref="FormatException">The address is not a Unix socket address; the message says why.</exception>
    public static string Parse(string? value) =>
        TryParse(value, out var path, out var error) ? path : throw new FormatException(error);

    /// <summary>
    /// Returns the socket path of <paramref name="address"/>, or of <c>SPIFFE_ENDPOINT_SOCKET</c> when
    /// <paramref name="address"/> is null or empty.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Neither is set, or the address is not <c>unix:///path</c>, <c>unix:/path</c> or an absolute path; the message says which rule it broke.
    /// </exception>
    public static string Resolve(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            address = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrEmpty(address))
            {
                throw new ArgumentException($"no Workload API address: pass one, or set {EnvironmentVariable} to unix:///absolute/path/to/api.sock", nameof(address));
            }

            return TryParse(address, out var fromEnvironment, out var environmentError)
                ? fromEnvironment
                : throw new ArgumentException($"{EnvironmentVariable}: {environmentError}", nameof(address));
        }

        return TryParse(address, out var path, out var error) ? path : throw new ArgumentException(error, nameof(address));
    }
}
