using Tessera.Policy.Schema;

namespace Tessera.Policy.Validation;

/// <summary>
/// The validator's singleton boolean types: an expression typed <c>True</c> or <c>False</c> always has that
/// value, which is how <c>&amp;&amp;</c>, <c>||</c> and <c>if</c> skip branches that can never run (the plain
/// <see cref="PrimitiveType.Bool"/> is "any boolean").
/// </summary>
internal sealed record BoolLiteralType(bool Value) : SchemaType
{
    public static readonly BoolLiteralType True = new(true);
    public static readonly BoolLiteralType False = new(false);

    public static BoolLiteralType Of(bool value) => value ? True : False;

    public override string ToString() => Value ? "True" : "False";
}
