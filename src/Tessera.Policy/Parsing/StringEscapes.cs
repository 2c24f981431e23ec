using System.Globalization;
using System.Text;
using Tessera.Policy.Ast;

namespace Tessera.Policy.Parsing;

/// <summary>
/// Interprets the escapes of Cedar string literals (<c>\n \r \t \\ \0 \' \" \xHH \u{H…}</c>), and for
/// <c>like</c> patterns also <c>\*</c> (a literal star) versus <c>*</c> (a wildcard).
/// </summary>
internal static class StringEscapes
{
    public static string Unescape(Token token)
    {
        var builder = new StringBuilder(token.Text.Length);
        Walk(token, pattern: false, (wildcard, c) => builder.Append(c));
        return builder.ToString();
    }

    public static LikePattern UnescapePattern(Token token)
    {
        var elements = new List<LikePattern.Element>(token.Text.Length);
        Walk(token, pattern: true, (wildcard, c) => elements.Add(new LikePattern.Element(wildcard, c)));
        return new LikePattern(elements);
    }

    private static void Walk(Token token, bool pattern, Action<bool, char> emit)
    {
        var s = token.Text;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '*' && pattern)
            {
                emit(true, '*');
                continue;
            }

            if (c != '\\')
            {
                emit(false, c);
                continue;
            }

            if (++i >= s.Length)
            {
                throw Error(token, "string ends with a lone backslash");
            }

            switch (s[i])
            {
                case 'n': emit(false, '\n'); break;
                case 'r': emit(false, '\r'); break;
                case 't': emit(false, '\t'); break;
                case '0': emit(false, '\0'); break;
                case '\\': emit(false, '\\'); break;
                case '\'': emit(false, '\''); break;
                case '"': emit(false, '"'); break;
                case '*' when pattern: emit(false, '*'); break;
                case 'x':
                    if (i + 2 >= s.Length || !byte.TryParse(s.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b) || b > 0x7F)
                    {
                        throw Error(token, "invalid `\\x` escape: expected two hex digits up to 7f");
                    }

                    emit(false, (char)b);
                    i += 2;
                    break;
                case 'u':
                    var close = s.IndexOf('}', i);
                    if (i + 1 >= s.Length || s[i + 1] != '{' || close < 0 || close - i - 2 is < 1 or > 6
                        || !int.TryParse(s.AsSpan(i + 2, close - i - 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                        || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
                    {
                        throw Error(token, "invalid `\\u` escape: expected `\\u{…}` with 1 to 6 hex digits naming a Unicode scalar value");
                    }

                    foreach (var unit in char.ConvertFromUtf32(code))
                    {
                        emit(false, unit);
                    }

                    i = close;
                    break;
                default:
                    throw Error(token, $"invalid escape `\\{s[i]}`");
            }
        }
    }

    private static PolicyParseException Error(Token token, string detail) => new(detail, token.Line, token.Column);
}
