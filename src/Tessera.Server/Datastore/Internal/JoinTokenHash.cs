using System.Security.Cryptography;
using System.Text;

namespace Tessera.Server.Datastore.Internal;

/// <summary>Join tokens are stored as SHA-256 hex so a leaked database does not leak usable tokens.</summary>
internal static class JoinTokenHash
{
    public static string Compute(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
