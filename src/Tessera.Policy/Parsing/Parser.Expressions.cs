using System.Globalization;
using System.Runtime.CompilerServices;
using Tessera.Policy.Ast;
using Tessera.Policy.Entities;
using Tessera.Policy.Extensions;
using Tessera.Policy.Values;

namespace Tessera.Policy.Parsing;

/// <summary>The expression grammar, from lowest to highest precedence.</summary>
internal sealed partial class Parser
{
    private static readonly HashSet<string> BuiltInMethods = new(StringComparer.Ordinal)
    {
        "contains", "containsAll", "containsAny", "isEmpty", "hasTag", "getTag",
    };

    // Expr ::= Or | 'if' Expr 'then' Expr 'else' Expr
    public Expr ParseExpr()
    {
        var start = Current;
        if (++_depth > MaxNestingDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new PolicyParseException($"expression is nested too deeply (the limit is {MaxNestingDepth} levels)", start.Line, start.Column);
        }

        Expr result;
        if (IsKeyword("if"))
        {
            _cursor.Advance();
            var condition = ParseExpr();
            ExpectKeyword("then");
            var then = ParseExpr();
            ExpectKeyword("else");
            result = Checked(new IfExpr(condition, then, ParseExpr()), start);
        }
        else
        {
            result = ParseOr();
        }

        _depth--;
        return result;
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (Current.Kind == TokenKind.Or)
        {
            var op = Current;
            _cursor.Advance();
            left = Checked(new BinaryExpr(BinaryOperator.Or, left, ParseAnd()), op);
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseRelation();
        while (Current.Kind == TokenKind.And)
        {
            var op = Current;
            _cursor.Advance();
            left = Checked(new BinaryExpr(BinaryOperator.And, left, ParseRelation()), op);
        }

        return left;
    }

    // Relation ::= Add [RELOP Add] | Add 'has' (IDENT | STR) | Add 'like' STR | Add 'is' Path ['in' Add]
    private Expr ParseRelation()
    {
        var left = ParseAdd();
        var op = Current;
        BinaryOperator? relation = op.Kind switch
        {
            TokenKind.Equal => BinaryOperator.Equal,
            TokenKind.NotEqual => BinaryOperator.NotEqual,
            TokenKind.Less => BinaryOperator.Less,
            TokenKind.LessOrEqual => BinaryOperator.LessOrEqual,
            TokenKind.Greater => BinaryOperator.Greater,
            TokenKind.GreaterOrEqual => BinaryOperator.GreaterOrEqual,
            TokenKind.Identifier when op.Text == "in" => BinaryOperator.In,
            _ => null,
        };
        if (relation is { } r)
        {
            _cursor.Advance();
            return Checked(new BinaryExpr(r, left, ParseAdd()), op);
        }

        if (IsKeyword("has"))
        {
            _cursor.Advance();
            return ParseHas(left, op);
        }

        if (IsKeyword("like"))
        {
            _cursor.Advance();
            var pattern = Expect(TokenKind.String, "a string pattern");
            return Checked(new LikeExpr(left, StringEscapes.UnescapePattern(pattern)), op);
        }

        if (IsKeyword("is"))
        {
            _cursor.Advance();
            var type = ParsePath();
            Expr? parent = null;
            if (IsKeyword("in"))
            {
                _cursor.Advance();
                parent = ParseAdd();
            }

            return Checked(new IsExpr(left, type, parent), op);
        }

        return left;
    }

    // `e has a.b.c` is sugar for `e has a && e.a has b && e.a.b has c`.
    private Expr ParseHas(Expr target, Token op)
    {
        var attribute = ParseAttributeName();
        Expr result = new HasExpr(target, attribute);
        var path = new GetAttributeExpr(target, attribute);
        while (Current.Kind == TokenKind.Dot)
        {
            _cursor.Advance();
            var next = ExpectName("an attribute name").Text;
            result = Checked(new BinaryExpr(BinaryOperator.And, result, new HasExpr(path, next)), op);
            path = new GetAttributeExpr(path, next);
        }

        return Checked(result, op);
    }

    private string ParseAttributeName()
    {
        var token = Current;
        if (token.Kind == TokenKind.String)
        {
            _cursor.Advance();
            return StringEscapes.Unescape(token);
        }

        return ExpectName("an attribute name").Text;
    }

    private Expr ParseAdd()
    {
        var left = ParseMult();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Current;
            _cursor.Advance();
            var kind = op.Kind == TokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract;
            left = Checked(new BinaryExpr(kind, left, ParseMult()), op);
        }

        return left;
    }

    private Expr ParseMult()
    {
        var left = ParseUnary();
        while (Current.Kind == TokenKind.Star)
        {
            var op = Current;
            _cursor.Advance();
            left = Checked(new BinaryExpr(BinaryOperator.Multiply, left, ParseUnary()), op);
        }

        return left;
    }

    // Unary ::= ['!'{1,4} | '-'{1,4}] Member: one operator repeated, never mixed (`!-x` is an error in
    // the reference grammar). A '-' directly before an integer literal makes a negative literal, which
    // is how -9223372036854775808 is written.
    private Expr ParseUnary()
    {
        var start = Current;
        var ops = new List<TokenKind>();
        while (Current.Kind is TokenKind.Bang or TokenKind.Minus && (ops.Count == 0 || Current.Kind == ops[0]))
        {
            ops.Add(Current.Kind);
            _cursor.Advance();
        }

        if (ops.Count > 4)
        {
            throw new PolicyParseException("too many unary operators in a row (at most 4)", start.Line, start.Column);
        }

        Expr operand;
        if (ops.Count > 0 && ops[^1] == TokenKind.Minus && Current.Kind == TokenKind.Integer)
        {
            ops.RemoveAt(ops.Count - 1);
            operand = ParseMemberAccess(ParseInteger(negative: true));
        }
        else
        {
            operand = ParseMember();
        }

        for (var i = ops.Count - 1; i >= 0; i--)
        {
            operand = ops[i] == TokenKind.Bang ? new NotExpr(operand) : new NegateExpr(operand);
        }

        return Checked(operand, start);
    }

    private Expr ParseMember() => ParseMemberAccess(ParsePrimary());

    private Expr ParseMemberAccess(Expr target)
    {
        while (true)
        {
            var op = Current;
            if (op.Kind == TokenKind.Dot)
            {
                _cursor.Advance();
                var name = ExpectName("an attribute or method name");
                if (Current.Kind == TokenKind.LeftParen)
                {
                    _cursor.Advance();
                    var args = ParseExprList(TokenKind.RightParen, "`)`");
                    target = Checked(MakeMethodCall(name, target, args), op);
                }
                else
                {
                    target = Checked(new GetAttributeExpr(target, name.Text), op);
                }
            }
            else if (op.Kind == TokenKind.LeftBracket)
            {
                _cursor.Advance();
                var key = Expect(TokenKind.String, "a string attribute name");
                Expect(TokenKind.RightBracket, "`]`");
                target = Checked(new GetAttributeExpr(target, StringEscapes.Unescape(key)), op);
            }
            else
            {
                return target;
            }
        }
    }

    private static MethodCallExpr MakeMethodCall(Token name, Expr target, List<Expr> args)
    {
        // Extension methods with the wrong number of arguments parse and fail at evaluation, as in the
        // reference; the built-in methods are operators of the grammar and are checked here.
        if (!BuiltInMethods.Contains(name.Text))
        {
            return ExtensionFunctions.IsMethod(name.Text, out _)
                ? new MethodCallExpr(name.Text, target, args)
                : throw new PolicyParseException($"`{name.Text}` is not a method", name.Line, name.Column);
        }

        var arity = name.Text == "isEmpty" ? 1 : 2;
        if (args.Count + 1 != arity)
        {
            throw new PolicyParseException(
                $"method `{name.Text}` takes {arity - 1} argument(s), found {args.Count}", name.Line, name.Column);
        }

        return new MethodCallExpr(name.Text, target, args);
    }

    private Expr ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Integer:
                return ParseInteger(negative: false);
            case TokenKind.String:
                _cursor.Advance();
                return new LiteralExpr(new StringValue(StringEscapes.Unescape(token)));
            case TokenKind.Slot:
                // As in the reference, template slots may appear only in the scope, never in conditions.
                throw new PolicyParseException($"template slot `?{token.Text}` is only allowed in the policy scope", token.Line, token.Column);
            case TokenKind.LeftParen:
                _cursor.Advance();
                var inner = ParseExpr();
                Expect(TokenKind.RightParen, "`)`");
                return inner;
            case TokenKind.LeftBracket:
                _cursor.Advance();
                return Checked(new SetExpr(ParseExprList(TokenKind.RightBracket, "`]`")), token);
            case TokenKind.LeftBrace:
                _cursor.Advance();
                return Checked(ParseRecord(), token);
            case TokenKind.Identifier:
                return ParseNamePrimary();
            default:
                throw Unexpected("an expression");
        }
    }

    private Expr ParseNamePrimary()
    {
        var token = Current;
        switch (token.Text)
        {
            case "true":
                _cursor.Advance();
                return new LiteralExpr(BoolValue.True);
            case "false":
                _cursor.Advance();
                return new LiteralExpr(BoolValue.False);
            case "principal":
                _cursor.Advance();
                return new VariableExpr(Variable.Principal);
            case "action":
                _cursor.Advance();
                return new VariableExpr(Variable.Action);
            case "resource":
                _cursor.Advance();
                return new VariableExpr(Variable.Resource);
            case "context":
                _cursor.Advance();
                return new VariableExpr(Variable.Context);
        }

        var path = ParsePath(out var id);
        if (id is not null)
        {
            return new LiteralExpr(new EntityValue(new EntityUid(path, id)));
        }

        if (Current.Kind == TokenKind.LeftParen)
        {
            _cursor.Advance();
            var args = ParseExprList(TokenKind.RightParen, "`)`");
            // As with methods, a wrong argument count is an evaluation error in the reference, not a parse error.
            if (!ExtensionFunctions.IsConstructor(path, out _))
            {
                throw new PolicyParseException($"`{path}` is not a function", token.Line, token.Column);
            }

            return new FunctionCallExpr(path, args);
        }

        throw new PolicyParseException($"unknown variable `{path}`", token.Line, token.Column);
    }

    private LiteralExpr ParseInteger(bool negative)
    {
        var token = Expect(TokenKind.Integer, "an integer");
        // 2^63 is representable only when negated; anything larger is never a valid literal.
        if (!ulong.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var magnitude)
            || magnitude > (negative ? 9_223_372_036_854_775_808UL : long.MaxValue))
        {
            throw new PolicyParseException($"integer literal `{(negative ? "-" : string.Empty)}{token.Text}` is out of range for a 64-bit integer", token.Line, token.Column);
        }

        var value = negative ? unchecked((long)(0UL - magnitude)) : (long)magnitude;
        return new LiteralExpr(new LongValue(value));
    }

    private RecordExpr ParseRecord()
    {
        var fields = new List<KeyValuePair<string, Expr>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (Current.Kind != TokenKind.RightBrace)
        {
            var keyToken = Current;
            var key = ParseAttributeName();
            if (!seen.Add(key))
            {
                throw new PolicyParseException($"duplicate key `{key}` in record literal", keyToken.Line, keyToken.Column);
            }

            Expect(TokenKind.Colon, "`:`");
            fields.Add(new(key, ParseExpr()));
            if (Current.Kind != TokenKind.Comma)
            {
                break;
            }

            _cursor.Advance();
        }

        Expect(TokenKind.RightBrace, "`}`");
        return new RecordExpr(fields);
    }

    private List<Expr> ParseExprList(TokenKind close, string closeText)
    {
        var items = new List<Expr>();
        while (Current.Kind != close)
        {
            items.Add(ParseExpr());
            if (Current.Kind != TokenKind.Comma)
            {
                break;
            }

            _cursor.Advance();
        }

        Expect(close, closeText);
        return items;
    }

    private static T Checked<T>(T expr, Token at)
        where T : Expr
    {
        if (expr.Height > MaxExpressionHeight)
        {
            throw new PolicyParseException($"expression is too deeply nested (the limit is {MaxExpressionHeight} levels of operators)", at.Line, at.Column);
        }

        return expr;
    }
}
