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

    // Mirrors Rust string-literal unescaping, which the reference uses: `\` before a line break skips
    // the break and the whitespace after it; a bare carriage return is an error; `\u{…}` takes 1–6 hex
    // digits with `_` separators. In patterns only `\*` is a literal star: a star produced by `\x2a` or
    // `\u{2a}` is a wildcard, as in the reference.
    private static void Walk(Token token, bool pattern, Action<bool, char> emit)
    {
        var s = token.Text;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\r')
            {
                throw Error(token, "bare carriage return in string literal; write `\\r`");
            }

            if (c != '\\')
            {
                emit(pattern && c == '*', c);
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
                case '\n':
                    while (i + 1 < s.Length && s[i + 1] is ' ' or '\t' or '\n' or '\r')
                    {
                        i++;
                    }

                    break;
                case 'x':
                    if (i + 2 >= s.Length || !byte.TryParse(s.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b) || b > 0x7F)
                    {
                        throw Error(token, "invalid `\\x` escape: expected two hex digits up to 7f");
                    }

                    emit(pattern && b == '*', (char)b);
                    i += 2;
                    break;
                case 'u':
                    var code = UnicodeEscape(token, s, ref i);
                    var text = char.ConvertFromUtf32(code);
                    foreach (var unit in text)
                    {
                        emit(pattern && code == '*', unit);
                    }

                    break;
                default:
                    throw Error(token, $"invalid escape `\\{s[i]}`");
            }
        }
    }

    // `i` is at the `u`; on return it is at the closing brace.
    private static int UnicodeEscape(Token token, string s, ref int i)
    {
        const string Message = "invalid `\\u` escape: expected `\\u{…}` with 1 to 6 hex digits naming a Unicode scalar value";
        if (i + 1 >= s.Length || s[i + 1] != '{' || i + 2 >= s.Length || s[i + 2] == '_')
        {
            throw Error(token, Message);
        }

        var code = 0;
        var digits = 0;
        for (i += 2; i < s.Length && s[i] != '}'; i++)
        {
            if (s[i] == '_')
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(s[i]) || ++digits > 6)
            {
                throw Error(token, Message);
            }

            code = (code * 16) + Convert.ToInt32(s[i].ToString(), 16);
        }

        if (i >= s.Length || digits == 0 || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
        {
            throw Error(token, Message);
        }

        return code;
    }

    private static PolicyParseException Error(Token token, string detail) => new(detail, token.Line, token.Column);
}
