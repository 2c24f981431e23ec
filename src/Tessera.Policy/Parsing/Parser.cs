using Tessera.Policy.Ast;
using Tessera.Policy.Entities;

namespace Tessera.Policy.Parsing;

/// <summary>
/// Recursive-descent parser for Cedar policy sets, following the grammar of the Cedar language reference.
/// Recursion depth is bounded (<see cref="MaxNestingDepth"/>, <see cref="MaxExpressionHeight"/>) so that
/// hostile input ends in a <see cref="PolicyParseException"/>, never in a stack overflow, which would
/// kill the process.
/// </summary>
internal sealed partial class Parser
{
    /// <summary>How deeply brackets, parentheses, braces and <c>if</c> may nest.</summary>
    public const int MaxNestingDepth = 200;

    /// <summary>How tall an expression tree may be, counting operator chains such as <c>a + b + c</c>.</summary>
    public const int MaxExpressionHeight = 1000;

    // Identifiers the reference refuses as names (types, namespaces, functions), as unquoted attribute
    // names and as unquoted record keys; quoted forms such as `{"if": 1}["if"]` remain allowed. The
    // formatter quotes exactly these.
    internal static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "true", "false", "if", "then", "else", "in", "is", "has", "like",
    };

    private readonly TokenCursor _cursor;
    private int _depth;

    public Parser(string source) => _cursor = new TokenCursor(new Lexer(source).Tokenize());

    private Token Current => _cursor.Current;

    public static IReadOnlyList<ParsedPolicy> ParsePolicies(string source)
    {
        var parser = new Parser(source);
        var policies = new List<ParsedPolicy>();
        while (parser.Current.Kind != TokenKind.EndOfInput)
        {
            policies.Add(parser.ParsePolicy($"policy{policies.Count}"));
        }

        return policies;
    }

    /// <summary>Parses a single expression (used by tests and, later, by the CLI's expression evaluation).</summary>
    public static Expr ParseExpression(string source)
    {
        var parser = new Parser(source);
        var expr = parser.ParseExpr();
        if (parser.Current.Kind != TokenKind.EndOfInput)
        {
            throw parser.Unexpected("end of input");
        }

        return expr;
    }

    private ParsedPolicy ParsePolicy(string id)
    {
        var annotations = ParseAnnotations();
        var effectToken = Current;
        var effect = effectToken.Text switch
        {
            "permit" when effectToken.Kind == TokenKind.Identifier => Effect.Permit,
            "forbid" when effectToken.Kind == TokenKind.Identifier => Effect.Forbid,
            _ => throw Unexpected("`permit` or `forbid`"),
        };
        _cursor.Advance();
        Expect(TokenKind.LeftParen, "`(`");
        ExpectKeyword("principal");
        var principal = ParseScope("principal");
        Expect(TokenKind.Comma, "`,`");
        ExpectKeyword("action");
        var action = ParseScope("action");
        Expect(TokenKind.Comma, "`,`");
        ExpectKeyword("resource");
        var resource = ParseScope("resource");
        // The reference's grammar reads the scope as a comma-separated list, so a trailing comma is fine.
        if (Current.Kind == TokenKind.Comma)
        {
            _cursor.Advance();
        }

        Expect(TokenKind.RightParen, "`)`");

        var conditions = new List<Condition>();
        while (IsKeyword("when") || IsKeyword("unless"))
        {
            var isWhen = Current.Text == "when";
            _cursor.Advance();
            Expect(TokenKind.LeftBrace, "`{`");
            var body = ParseExpr();
            Expect(TokenKind.RightBrace, "`}`");
            conditions.Add(new Condition(isWhen, body));
        }

        Expect(TokenKind.Semicolon, "`;`");
        return new ParsedPolicy(id, effect, annotations, principal, action, resource, conditions);
    }

    private Dictionary<string, string> ParseAnnotations()
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        while (Current.Kind == TokenKind.At)
        {
            _cursor.Advance();
            var name = Current;
            Expect(TokenKind.Identifier, "an annotation name");
            var value = string.Empty;
            if (Current.Kind == TokenKind.LeftParen)
            {
                _cursor.Advance();
                var text = Current;
                Expect(TokenKind.String, "a string");
                value = StringEscapes.Unescape(text);
                Expect(TokenKind.RightParen, "`)`");
            }

            if (!annotations.TryAdd(name.Text, value))
            {
                throw new PolicyParseException($"duplicate annotation `@{name.Text}`", name.Line, name.Column);
            }
        }

        return annotations;
    }

    // `variable` is principal, action or resource: actions take lists and no `is`; each of the
    // others may use only its own slot (`?principal` or `?resource`).
    private ScopeConstraint ParseScope(string variable)
    {
        var allowList = variable == "action";
        var allowIs = !allowList;
        if (Current.Kind == TokenKind.Equal)
        {
            _cursor.Advance();
            return ScopeTarget(ScopeKind.Equal, null, variable, allowList: false);
        }

        if (IsKeyword("in"))
        {
            _cursor.Advance();
            return ScopeTarget(ScopeKind.In, null, variable, allowList);
        }

        if (IsKeyword("is"))
        {
            if (!allowIs)
            {
                throw Unexpected("`==`, `in`, `,` or `)`: `is` is not allowed in the action scope");
            }

            _cursor.Advance();
            var type = ParsePath();
            if (IsKeyword("in"))
            {
                _cursor.Advance();
                return ScopeTarget(ScopeKind.IsIn, type, variable, allowList: false);
            }

            return new ScopeConstraint(ScopeKind.Is, [], type, null, IsList: false);
        }

        return ScopeConstraint.Any;
    }

    private ScopeConstraint ScopeTarget(ScopeKind kind, string? type, string variable, bool allowList)
    {
        if (Current.Kind == TokenKind.Slot)
        {
            var slot = Current;
            if (allowList || slot.Text != variable)
            {
                throw new PolicyParseException($"slot `?{slot.Text}` is not allowed here", slot.Line, slot.Column);
            }

            _cursor.Advance();
            return new ScopeConstraint(kind, [], type, slot.Text, IsList: false);
        }

        if (allowList && Current.Kind == TokenKind.LeftBracket)
        {
            _cursor.Advance();
            var entities = new List<EntityUid>();
            while (Current.Kind != TokenKind.RightBracket)
            {
                entities.Add(ParseActionUid());
                if (Current.Kind != TokenKind.Comma)
                {
                    break;
                }

                _cursor.Advance();
            }

            Expect(TokenKind.RightBracket, "`]`");
            return new ScopeConstraint(kind, entities, type, null, IsList: true);
        }

        return new ScopeConstraint(kind, [variable == "action" ? ParseActionUid() : ParseEntityUid()], type, null, IsList: false);
    }

    // Action constraints may name only action entities: type `Action` or `Namespace::Action`.
    private EntityUid ParseActionUid()
    {
        var start = Current;
        var uid = ParseEntityUid();
        if (uid.Type != "Action" && !uid.Type.EndsWith("::Action", StringComparison.Ordinal))
        {
            throw new PolicyParseException($"expected an action entity of type `Action`, found {uid}", start.Line, start.Column);
        }

        return uid;
    }

    private EntityUid ParseEntityUid()
    {
        var start = Current;
        var type = ParsePath(out var trailingString);
        if (trailingString is null)
        {
            throw new PolicyParseException($"expected an entity reference like `Type::\"id\"`, found `{type}`", start.Line, start.Column);
        }

        return new EntityUid(type, trailingString);
    }

    private string ParsePath() => ParsePath(out var trailing) is var path && trailing is null
        ? path
        : throw new PolicyParseException("expected an entity type name, found an entity reference", Current.Line, Current.Column);

    // IDENT { '::' IDENT } [ '::' STRING ]: a type name, or with the trailing string an entity reference.
    private string ParsePath(out string? trailingString)
    {
        trailingString = null;
        var parts = new List<string> { ExpectName("an identifier").Text };
        while (Current.Kind == TokenKind.DoubleColon)
        {
            _cursor.Advance();
            if (Current.Kind == TokenKind.String)
            {
                trailingString = StringEscapes.Unescape(Current);
                _cursor.Advance();
                break;
            }

            parts.Add(ExpectName("an identifier or a string").Text);
        }

        return string.Join("::", parts);
    }

    /// <summary>Consumes an identifier that must not be reserved.</summary>
    private Token ExpectName(string what)
    {
        var token = Expect(TokenKind.Identifier, what);
        if (Reserved.Contains(token.Text))
        {
            throw new PolicyParseException($"this identifier is reserved and cannot be used: {token.Text}", token.Line, token.Column);
        }

        return token;
    }

    private bool IsKeyword(string keyword) => _cursor.IsKeyword(keyword);

    private void ExpectKeyword(string keyword) => _cursor.ExpectKeyword(keyword);

    private Token Expect(TokenKind kind, string what) => _cursor.Expect(kind, what);

    private PolicyParseException Unexpected(string expected) => _cursor.Unexpected(expected);
}
