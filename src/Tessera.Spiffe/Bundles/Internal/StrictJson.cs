using System.Text.Json;
using System.Text.Unicode;

namespace Tessera.Spiffe.Bundles.Internal;

/// <summary>
/// Parses JSON that crosses a trust boundary (bundles, JWT headers and claims), rejecting duplicate member
/// names in any object.
/// </summary>
/// <remarks>
/// RFC 8259 §4 leaves duplicate names undefined, and SPIFFE Trust Domain and Bundle §6.3 calls that an
/// unacceptable risk: two parsers could pick different values (a different key, a different <c>sub</c>).
/// <see cref="JsonDocument"/> keeps duplicates and its lookups return the last one, so names are checked
/// here with a <see cref="Utf8JsonReader"/> pass first. Names are compared after unescaping, so
/// <c>"kid"</c> and <c>"\u006bid"</c> are duplicates.
/// </remarks>
internal static class StrictJson
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 32 };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    /// <summary>Parses <paramref name="utf8"/>; <paramref name="what"/> names the input in error messages.</summary>
    /// <exception cref="FormatException">The input is not valid JSON or an object repeats a member name.</exception>
    public static JsonDocument Parse(ReadOnlySpan<byte> utf8, string what)
    {
        // RFC 8259 §8.1: JSON exchanged between systems is UTF-8. The reader does not check string contents
        // it is not asked to decode, so check all of it here.
        if (!Utf8.IsValid(utf8))
        {
            throw new FormatException($"{what} is not valid JSON (it is not valid UTF-8)");
        }

        try
        {
            RejectDuplicateNames(utf8, what);
            return JsonDocument.Parse(utf8.ToArray(), DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{what} is not valid JSON ({FirstLine(ex.Message)})");
        }
        catch (InvalidOperationException)
        {
            // GetString throws this for an escaped lone surrogate ("\ud800"), which is not valid Unicode.
            throw new FormatException($"{what} is not valid JSON (a string holds an invalid escape sequence)");
        }
    }

    private static void RejectDuplicateNames(ReadOnlySpan<byte> utf8, string what)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        var scopes = new Stack<HashSet<string>?>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    scopes.Push(new HashSet<string>(StringComparer.Ordinal));
                    break;
                case JsonTokenType.StartArray:
                    scopes.Push(null);
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    scopes.Pop();
                    break;
                case JsonTokenType.PropertyName:
                    var name = reader.GetString()!;
                    if (!scopes.Peek()!.Add(name))
                    {
                        throw new FormatException($"{what} repeats the member name '{Printable(name)}' in one object");
                    }

                    break;
                case JsonTokenType.String:
                    // Decode every string once, so an invalid escape fails here as a FormatException rather
                    // than later, in whichever caller happens to read that value.
                    _ = reader.GetString();
                    break;
                default:
                    break;
            }
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    /// <summary>Returns at most 64 characters of <paramref name="value"/> with control and non-ASCII characters replaced by '?'.</summary>
    public static string Printable(string value)
    {
        var span = value.AsSpan(0, Math.Min(value.Length, 64));
        var chars = new char[span.Length];
        for (var i = 0; i < span.Length; i++)
        {
            chars[i] = span[i] is >= ' ' and <= '~' and not '\'' ? span[i] : '?';
        }

        return value.Length > 64 ? new string(chars) + "..." : new string(chars);
    }
}
