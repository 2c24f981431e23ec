using System.Buffers.Text;
using System.Text;

namespace Tessera.Server.Datastore.Internal;

/// <summary>Opaque page tokens: the base64url of the last id on the previous page (keyset pagination).</summary>
internal static class PageToken
{
    public static string Encode(string lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastId));

    public static string Decode(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException exception)
        {
            throw new ArgumentException($"page token '{token}' is not one this server issued", nameof(token), exception);
        }
    }
}
