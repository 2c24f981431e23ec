using Tessera.Policy.Ast;

namespace Tessera.Policy.Validation;

/// <summary>
/// A fact established by a guard: <c>Target has Attribute</c> or <c>Target.hasTag(Tag)</c> is known true, so
/// reading that optional attribute or tag is safe. Expressions compare structurally.
/// </summary>
internal readonly record struct Capability(Expr Target, string? Attribute, Expr? Tag);
