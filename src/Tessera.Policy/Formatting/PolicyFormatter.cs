using System.Text;
using Tessera.Policy.Ast;

namespace Tessera.Policy.Formatting;

/// <summary>
/// Prints a policy set in canonical Cedar syntax: annotations one per line, the effect and a scope with one
/// constraint per line, then each <c>when</c>/<c>unless</c> clause; policies separated by a blank line. The
/// output is a function of the syntax tree alone, so formatting is idempotent and re-parsing the output gives
/// the same tree (the tests check both over the conformance corpus).
/// </summary>
/// <remarks>
/// Comments are not in the syntax tree, so they are dropped; the reference formatter
/// (<c>cedar format</c>) keeps them. Policies linked from templates are not Cedar text and are not printed:
/// the templates are.
/// </remarks>
public static class PolicyFormatter
{
    /// <summary>Conditions longer than this are broken at their top-level <c>&amp;&amp;</c> or <c>||</c>.</summary>
    internal const int LineWidth = 80;

    private const string Indent = "  ";

    /// <summary>Returns the policies and templates of <paramref name="policies"/> as formatted Cedar text.</summary>
    /// <param name="policies">A parsed policy set.</param>
    /// <returns>The formatted text, ending with a line break; empty for an empty set.</returns>
    public static string Format(PolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var printed = policies.Policies.Where(p => p.TemplateId is null).Select(FormatPolicy);
        var text = string.Join("\n\n", printed);
        return text.Length == 0 ? text : text + "\n";
    }

    /// <summary>Formats Cedar policy text: <see cref="Format(PolicySet)"/> of <see cref="PolicySet.Parse"/>.</summary>
    /// <param name="text">Cedar policies.</param>
    /// <returns>The formatted text.</returns>
    /// <exception cref="Parsing.PolicyParseException">The text is not valid Cedar.</exception>
    public static string Format(string text) => Format(PolicySet.Parse(text));

    internal static string FormatPolicy(ParsedPolicy policy)
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in policy.Annotations)
        {
            // `@name` and `@name("")` mean the same; the tree cannot tell them apart.
            builder.Append('@').Append(name);
            if (value.Length > 0)
            {
                builder.Append('(').Append(Internal.CedarStrings.Quote(value)).Append(')');
            }

            builder.Append('\n');
        }

        builder.Append(policy.Effect == Effect.Permit ? "permit" : "forbid").Append(" (\n")
            .Append(Indent).Append(Scope("principal", policy.Principal)).Append(",\n")
            .Append(Indent).Append(Scope("action", policy.Action)).Append(",\n")
            .Append(Indent).Append(Scope("resource", policy.Resource)).Append("\n)");
        foreach (var condition in policy.Conditions)
        {
            builder.Append('\n').Append(FormatCondition(condition));
        }

        return builder.Append(';').ToString();
    }

    private static string Scope(string variable, ScopeConstraint scope)
    {
        string Target() => scope.Slot is not null
            ? "?" + scope.Slot
            : scope.IsList
                ? "[" + string.Join(", ", scope.Entities) + "]"
                : scope.Entities[0].ToString();

        return scope.Kind switch
        {
            ScopeKind.Any => variable,
            ScopeKind.Equal => $"{variable} == {Target()}",
            ScopeKind.In => $"{variable} in {Target()}",
            ScopeKind.Is => $"{variable} is {scope.EntityType}",
            ScopeKind.IsIn => $"{variable} is {scope.EntityType} in {Target()}",
            _ => throw new InvalidOperationException($"unknown scope kind {scope.Kind}"),
        };
    }

    // `when { body }` on one line when it fits; otherwise the top-level && or || chain one operand per line.
    private static string FormatCondition(Condition condition)
    {
        var keyword = condition.IsWhen ? "when" : "unless";
        var body = ExpressionPrinter.Print(condition.Body);
        if (keyword.Length + body.Length + 4 <= LineWidth && !body.Contains('\n', StringComparison.Ordinal))
        {
            return $"{keyword} {{ {body} }}";
        }

        var lines = ExpressionPrinter.PrintChain(condition.Body);
        return $"{keyword} {{\n{string.Join("\n", lines.Select(l => Indent + l))}\n}}";
    }
}
