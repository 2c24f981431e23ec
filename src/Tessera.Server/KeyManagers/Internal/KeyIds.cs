using System.Buffers;

namespace Tessera.Server.KeyManagers.Internal;

/// <summary>Rules for key IDs: 1–128 characters of <c>[A-Za-z0-9._-]</c>, not starting with a dot.</summary>
/// <remarks>The disk key manager uses the ID as a file name, so path separators and dot files are refused.</remarks>
internal static class KeyIds
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    /// <summary>Throws when <paramref name="id"/> breaks a rule, saying which.</summary>
    public static void Validate(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length is 0 or > 128 || id[0] == '.' || id.AsSpan().ContainsAnyExcept(Allowed))
        {
            throw new ArgumentException($"key ID '{id}' is invalid: use 1-128 characters of A-Z, a-z, 0-9, '.', '_' or '-', not starting with '.'", nameof(id));
        }
    }
}
